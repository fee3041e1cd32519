"""Chooses the microversion a command uses and checks filters against it.

All version arithmetic is keystoneauth's (``keystoneauth1.discover``).
"""

import logging

from keystoneauth1 import discover

from vbsclient.api import exceptions

LOG = logging.getLogger(__name__)

# The highest microversion whose changes to backup listing the client knows:
# 3.64 adds encryption_key_id to backups (3.56 user_id, 3.45 count,
# 3.31/3.34 generic and fuzzy filters, 3.18 project_id).
CLIENT_MAX = '3.64'
# Used when the endpoint publishes no version document: the version the
# vendor documents for its fuzzy filters and with_count.
FALLBACK = '3.45'

# Filters that exist only from a microversion on.  Below it a real Cinder
# silently ignores the fuzzy filters (every backup comes back) and takes
# with_count for an exact filter (an empty list comes back).
FILTER_MIN_VERSIONS = {
    'name~': '3.31',
    'status~': '3.31',
    'volume_id~': '3.31',
    'with_count': '3.45',
}

MAJOR = 3


def parse_requested(requested):
    """Return None for "negotiate" or the explicit microversion string.

    ``3``, ``latest`` and ``3.latest`` (and unset) negotiate; ``3.N`` is
    explicit.  Anything else raises InvalidVersion.
    """
    if requested is None or not str(requested).strip():
        return None
    text = str(requested).strip()
    try:
        version = discover.normalize_version_number(text)
    except TypeError:
        version = None
    if (not version or len(version) > 2
            or version[0] not in (MAJOR, discover.LATEST)):
        raise exceptions.InvalidVersion(
            'invalid VBS backup API version %r: use 3, 3.N or latest'
            % text)
    if discover.LATEST in version or '.' not in text:
        return None
    return discover.version_to_string(version)


def select(requested, server_range):
    """Pick the microversion for this command.

    :param requested: the user's setting (see parse_requested).
    :param server_range: (min, max) strings from the server, or None when
        the endpoint publishes no version information.
    """
    explicit = parse_requested(requested)
    if server_range is None:
        chosen = explicit or FALLBACK
        LOG.debug('endpoint publishes no microversions; using %s (%s)',
                  chosen, 'requested' if explicit else 'default')
        return chosen
    low, high = server_range
    if explicit:
        if not discover.version_between(low, high, explicit):
            raise exceptions.VersionNotSupported(
                'VBS backup API version %s is not supported by the server '
                '(it supports %s to %s)' % (explicit, low, high))
        LOG.debug('using requested microversion %s (server %s to %s)',
                  explicit, low, high)
        return explicit
    best = min(discover.normalize_version_number(high),
               discover.normalize_version_number(CLIENT_MAX))
    if not discover.version_between(low, None, best):
        raise exceptions.VersionNotSupported(
            'the server requires VBS backup API version %s or later; this '
            'client supports up to %s' % (low, CLIENT_MAX))
    chosen = discover.version_to_string(best)
    LOG.debug('negotiated microversion %s (server %s to %s, client max %s)',
              chosen, low, high, CLIENT_MAX)
    return chosen


def supports(key, in_use):
    """Whether microversion ``in_use`` can carry filter ``key``."""
    required = FILTER_MIN_VERSIONS.get(key)
    return not required or discover.version_between(required, None, in_use)


def check_filters(keys, in_use, labels=None):
    """Raise FilterNeedsMicroversion for the first key ``in_use`` lacks."""
    labels = labels or {}
    for key in keys:
        if not supports(key, in_use):
            raise exceptions.FilterNeedsMicroversion(
                key, FILTER_MIN_VERSIONS[key], in_use, labels.get(key))


def server_range(version_data):
    """(min, max) of the v3 entry in keystoneauth's normalized data."""
    for entry in version_data:
        if entry['version'][0] != MAJOR or not entry['max_microversion']:
            continue
        low = entry['min_microversion'] or (MAJOR, 0)
        return (discover.version_to_string(low),
                discover.version_to_string(entry['max_microversion']))
    return None
