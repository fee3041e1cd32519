"""Filter and scope parameters to the API query, names resolved to IDs.

Gates come first, so a parameter the microversion cannot carry costs no
look-up; a name costs one filtered request (see vbsclient.api.query.lookup), in
the scope asked for.
"""

from vbsclient.api.http import shapes
from vbsclient.api.query import lookup
from vbsclient.api.query import params as query_mod
from vbsclient.api.query import refusal
from vbsclient import exceptions

LIST_PATH = 'backups/detail'


class Resolver:
    """The queries of one client (``client``: its gates, look-ups, GETs)."""

    def __init__(self, client):
        self._client = client

    def query(self, params, counting=False):
        """The API query of the filter and scope parameters, names resolved.

        Gates are checked first, so a parameter the microversion cannot
        carry costs no look-up.
        """
        self._client.check_gates(query_mod.gates(params, counting))
        filters = {}
        for param in query_mod.PARAMS:
            if param.name in params and param.key and param.name not in (
                    'volume', 'project', 'all_projects'):
                filters[param.key] = params[param.name]
        if 'volume_like' in params:
            # A whole volume ID given as the substring: Cinder's form.
            filters['volume_id~'] = lookup.canonical_id(
                params['volume_like'])
        if 'sort' in params:
            filters['sort'] = params['sort']
        # The scope first: a volume's name is looked up in it.
        scope = {}
        if params.get('all_projects') or 'project' in params:
            scope['all_tenants'] = 1
        if 'project' in params:
            scope['project_id'] = lookup.project_id(
                self._client.identity, params['project'],
                params.get('project_domain'))
        if 'volume' in params:
            filters['volume_id'] = self._volume_id(params['volume'], scope)
        filters.update(scope)
        return filters

    def _volume_id(self, name_or_id, scope):
        if lookup.is_id(name_or_id):
            return lookup.canonical_id(name_or_id)
        with refusal.ProjectRefusal(scope):
            ids = self._client.volumes.find(name_or_id,
                                            lookup.MATCHES_SHOWN, scope)
        return lookup.one('volume', name_or_id, ids, self.where(scope))

    def backup_named(self, name, scope):
        """The one backup named ``name`` in ``scope`` (a raw dict)."""
        query = dict(scope, name=name, limit=lookup.MATCHES_SHOWN)
        url, body = self._client.get(LIST_PATH, query,
                                     'looking up backup %r' % name)
        found = shapes.backups_of(body, url)
        ids = [b['id'] for b in found]
        if not ids and 'all_tenants' not in scope:
            raise exceptions.NotFound(
                'no backup with name or ID {name!r}{where}; an admin may look '
                'in every project with {all_projects} or in one with '
                '{project}',
                {'name': name, 'where': self.where(scope),
                 'all_projects': 'all_projects', 'project': 'project'},
                terms=('all_projects', 'project'))
        lookup.one('backup', name, ids, self.where(scope))
        return found[0]

    def where(self, scope):
        if 'project_id' in scope:
            return ' in project %s' % scope['project_id']
        if 'all_tenants' in scope:
            return ' in any project'
        own = self._client.project_id
        return ' in project %s' % own if own else ''
