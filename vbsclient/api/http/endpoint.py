"""Finds the v3 endpoint the backup requests go to, and its version document.

VBS clouds publish their ``vbs`` catalog entry as ``.../v2/{project_id}``;
the backup API this client speaks lives at ``.../v3/{project_id}``.
"""

import re
from urllib import parse

from keystoneauth1 import exceptions as ksa_exceptions

from vbsclient import exceptions

# Catalog types in order of preference.  keystoneauth matches the official
# aliases of block-storage (volumev3, volumev2, volume) by itself.
SERVICE_TYPES = ('vbs', 'block-storage')

_VERSION_SEGMENT = re.compile(r'v\d+(\.\d+)?')


def resolve(session, service_types=SERVICE_TYPES, region_name=None,
            interface=None, override=None):
    """Return the v3 endpoint URL (with the project id).

    That of the first of ``service_types`` in the catalog, or the override.
    """
    if override:
        return override.strip().rstrip('/')
    interface = interface or 'public'
    for service_type in service_types:
        try:
            url = session.get_endpoint(service_type=service_type,
                                       interface=interface,
                                       region_name=region_name)
        except ksa_exceptions.EndpointNotFound:
            url = None
        if url:
            return to_v3(url, session.get_project_id())
    raise exceptions.EndpointNotFound(
        'no {types} endpoint for interface {interface}{region} in the '
        'service catalog; set {override} to the v3 URL with the project id',
        {'types': ' or '.join(repr(t) for t in service_types),
         'interface': interface,
         'region': ' in region %s' % region_name if region_name else '',
         'override': 'endpoint_override'}, terms=('override',))


def to_v3(url, project_id=None):
    """Rewrite a catalog URL to the v3 API, keeping host and project."""
    parts = parse.urlsplit(url)
    segments = [s for s in parts.path.split('/') if s]
    positions = [i for i, s in enumerate(segments)
                 if _VERSION_SEGMENT.fullmatch(s)]
    if positions:
        at = positions[-1]
        head, tail = segments[:at], segments[at + 1:]
    else:
        head, tail = segments, []
    if not tail and project_id:
        tail = [project_id]
    path = '/' + '/'.join(head + ['v3'] + tail)
    return parse.urlunsplit((parts.scheme, parts.netloc, path, '', ''))


def version_document_url(v3_url):
    """The unversioned-by-project URL that answers with the v3 version data."""
    parts = parse.urlsplit(v3_url)
    segments = [s for s in parts.path.split('/') if s]
    if 'v3' in segments:
        segments = segments[:len(segments) - segments[::-1].index('v3')]
    path = '/' + '/'.join(segments) + '/'
    return parse.urlunsplit((parts.scheme, parts.netloc, path, '', ''))
