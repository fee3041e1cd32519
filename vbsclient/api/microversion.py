"""Chooses the microversion a client uses and checks parameters against it.

All version arithmetic is keystoneauth's (``keystoneauth1.discover``).
"""

import logging

from keystoneauth1 import discover

from vbsclient.api.query import params as query
from vbsclient import exceptions

LOG = logging.getLogger(__name__)

# The highest microversion whose changes to backup listing the client knows:
# 3.64 adds encryption_key_id to backups (3.56 user_id, 3.45 count,
# 3.31/3.34 generic and fuzzy filters, 3.18 project_id).
CLIENT_MAX = '3.64'
# Used when the endpoint publishes no version document: the version the
# vendor documents for its fuzzy filters and with_count.
FALLBACK = '3.45'


def select(explicit, server_range):
    """Pick the microversion for this command.

    :param explicit: the user's explicit microversion ('3.N'), or None to
        negotiate.
    :param server_range: (min, max) strings from the server, or None when
        the endpoint publishes no version information.
    """
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


def at_least(in_use, required):
    """Whether microversion ``in_use`` is ``required`` or later."""
    return discover.version_between(required, None, in_use)


def check_gates(gates, in_use):
    """Raise UnsupportedMicroversion for the first gate ``in_use`` lacks.

    ``gates`` are parameter names, ``count`` and ``sort:<key>`` entries
    (see vbsclient.api.query.params).
    """
    for gate in gates:
        required = query.since(gate)
        if required and not at_least(in_use, required):
            raise exceptions.UnsupportedMicroversion(gate, required, in_use)


def server_range(version_data):
    """(min, max) of the v3 entry in keystoneauth's normalized data."""
    for entry in version_data:
        if entry['version'][0] != 3 or not entry['max_microversion']:
            continue
        low = entry['min_microversion'] or (3, 0)
        return (discover.version_to_string(low),
                discover.version_to_string(entry['max_microversion']))
    return None
