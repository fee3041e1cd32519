"""Reads the microversion range from the endpoint's version document.

Only a missing document (404, or an answer without version data) means
"no microversions published"; any other failure is an error, so a server
in trouble never silently lowers the version a listing uses.
"""

import logging

from keystoneauth1 import discover
from keystoneauth1 import exceptions as ksa_exceptions

from vbsclient.api.http import endpoint
from vbsclient.api.http import transport as transport_mod
from vbsclient.api import microversion as versions
from vbsclient import exceptions

LOG = logging.getLogger(__name__)


def server_range(transport):
    """(min, max) microversions of the endpoint, or None if unpublished."""
    # Authenticated: Cinder behind keystonemiddleware answers 401 to an
    # anonymous GET /v3/, which would cost a second request.  The URL is on
    # the resolved endpoint, so the token stays there.
    url = endpoint.version_document_url(transport.endpoint)
    data = transport.call('version discovery', _version_data,
                          transport.discovery_session(), url)
    if data is None:
        return None
    found = versions.server_range(data)
    LOG.debug('version document at %s: %s', url, found)
    return found


def _version_data(session, url):
    """keystoneauth's normalized version data at ``url``, or None."""
    resp = session.get(url, headers={'Accept': 'application/json'},
                       authenticated=True, raise_exc=False)
    if resp.status_code == 404:
        LOG.debug('no version document at %s (404)', url)
        return None
    body = transport_mod.json_object(url, resp)
    if not ('versions' in body or 'version' in body):
        LOG.debug('no version data at %s', url)
        return None
    try:
        # keystoneauth normalizes the answer already read.
        disc = discover.Discover(_Answered(resp), url, authenticated=True)
        return disc.version_data(allow_experimental=True, allow_unknown=True)
    except (ksa_exceptions.DiscoveryFailure, ValueError, KeyError,
            TypeError, AttributeError) as e:
        raise exceptions.BadResponse(
            'VBS API answered GET %s with version data keystoneauth cannot '
            'read (%s)' % (url, e)) from e


class _Answered:
    """A session for keystoneauth's Discover that replays one answer."""

    def __init__(self, resp):
        self._resp = resp

    def get(self, url, **kwargs):
        return self._resp
