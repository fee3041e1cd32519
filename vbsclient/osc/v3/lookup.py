"""Turns the names given on the command line into IDs.

A UUID-shaped value is taken as an ID; anything else costs one filtered
request, never a listing of everything.
"""

from osc_lib import utils

from vbsclient.api import exceptions

# Enough to tell one match from many and to name a few in the error.
MATCHES_SHOWN = 5


def _one(what, value, ids, project):
    if len(ids) == 1:
        return ids[0]
    where = ' in project %s' % project if project else ''
    if not ids:
        raise exceptions.NotFound(
            'no %s with name or ID %r%s' % (what, value, where))
    more = ' or more' if len(ids) >= MATCHES_SHOWN else ''
    raise exceptions.Ambiguous(
        '%d%s %ss are named %r%s (%s); use the ID'
        % (len(ids), more, what, value, where, ', '.join(ids)))


def find_backup(api, name_or_id):
    """The backup named or identified by ``name_or_id``.

    A UUID-shaped value is one GET by ID, then a name lookup only if
    that answers 404; anything else is one name lookup.
    """
    if utils.is_uuid_like(name_or_id):
        try:
            return api.get(name_or_id)
        except exceptions.HTTPError as e:
            if e.status != 404:
                raise
    return _backup_named(api, name_or_id)


def backup_id(api, name_or_id):
    """A backup ID for ``--marker``: UUIDs pass through unchecked."""
    if utils.is_uuid_like(name_or_id):
        return name_or_id
    return _backup_named(api, name_or_id)['id']


def _backup_named(api, name):
    """The one backup named ``name`` in the token's project."""
    found = api.find(name, MATCHES_SHOWN)
    _one('backup', name, [b['id'] for b in found], api.project_id)
    return found[0]


def volume_id(volumes, name_or_id, project):
    """A volume ID.

    UUIDs pass through (a deleted volume's backups stay listable),
    anything else is one ``volumes?name=`` request.
    """
    if utils.is_uuid_like(name_or_id):
        return name_or_id
    return _one('volume', name_or_id,
                volumes.find(name_or_id, MATCHES_SHOWN), project)


def project_id(identity, name_or_id, domain=None):
    """A project ID, resolved through Keystone as OSC resolves projects."""
    from openstackclient.identity import common as identity_common

    return identity_common.find_project(identity, name_or_id, domain).id
