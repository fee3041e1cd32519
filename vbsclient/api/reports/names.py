"""Names beside the IDs a report groups by: one request per kind at most.

Volume names come from one volumes listing in the report's scope (a
deleted volume is not listed: no name); project names from the token's
own project, which costs nothing, else one Keystone projects listing,
which only an admin may read (otherwise: no name).
"""

import logging

from vbsclient import exceptions

LOG = logging.getLogger(__name__)


def volume_names(client, volume_ids, scope, max_pages):
    """{volume ID: its name or None} for ``volume_ids``.

    ``scope`` is the API query's scope (``all_tenants``, ``project_id``)
    the volumes are listed in.
    """
    wanted = set(volume_ids) - {None}
    if not wanted:
        return {}
    found = {}
    for volume in client.volumes.list(
            scope, page_concurrency=client.page_concurrency,
            max_pages=max_pages):
        if volume.get('id') in wanted:
            found[volume['id']] = volume.get('name')
    return {volume_id: found.get(volume_id) for volume_id in wanted}


def project_names(client, project_ids):
    """{project ID: its name or None} for ``project_ids``.

    None stands for the owner a member is not shown: a member only sees
    their own project's backups, so it is named as the token's project
    when it is the only value.
    """
    wanted = set(project_ids)
    if not wanted:
        return {}
    own_id, own_name = _own_project(client)
    if own_id is None:
        # A bare token (--os-token and --os-endpoint): no Keystone to ask.
        return dict.fromkeys(wanted)
    known = {own_id: own_name}
    if wanted == {None}:
        known[None] = own_name
    if wanted - set(known) - {None}:
        known.update(_listed_projects(client))
    return {project_id: known.get(project_id) for project_id in wanted}


def _own_project(client):
    """(ID, name) of the token's project; (None, None) for a bare token.

    From the auth reference: no request once authenticated.
    """
    auth = client.session.auth
    get_access = getattr(auth, 'get_access', None)
    if get_access is None:
        return None, None
    access = client.transport.call('project lookup', get_access,
                                   client.session)
    return (getattr(access, 'project_id', None),
            getattr(access, 'project_name', None))


def _listed_projects(client):
    """{ID: name} of Keystone's project listing; {} when not allowed."""
    try:
        _url, body = client.identity.get('projects', {}, 'listing projects')
    except exceptions.EndpointNotFound as e:
        LOG.debug('project names left empty: %s', e)
        return {}
    except exceptions.HTTPError as e:
        if e.status != 403:
            raise
        LOG.debug('project names left empty: Keystone answered 403')
        return {}
    projects = body.get('projects') if isinstance(body, dict) else None
    return {p.get('id'): p.get('name') for p in projects or ()
            if isinstance(p, dict)}


def scope_of(rows, all_projects, one_project):
    """The volumes listing's scope for the backups summed up in ``rows``.

    One project's: its ID as the backups show it (the admin field; no
    second look-up of a project name).
    """
    if not (all_projects or one_project):
        return {}
    scope = {'all_tenants': 1}
    owners = {backup.project_id for row in rows
              for backup in (row.oldest_backup, row.newest_backup) if backup}
    if one_project and len(owners) == 1 and None not in owners:
        scope['project_id'] = owners.pop()
    return scope


def name_groups(client, rows, scope, max_pages):
    """Set ``row.names`` for the volume and project keys of ``rows``.

    GroupSummary rows; one look-up per key the rows are grouped by.
    """
    if not rows:
        return
    lookups = {'volume': lambda ids: volume_names(
                   client, ids, scope, max_pages),
               'project': lambda ids: project_names(client, ids)}
    for key, look_up in lookups.items():
        if key not in rows[0].group:
            continue
        names = look_up({row.group[key] for row in rows})
        for row in rows:
            row.names[key] = names.get(row.group[key])
