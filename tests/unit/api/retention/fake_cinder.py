"""A Cinder-like backup store on requests-mock that deletes as Cinder does.

DELETE answers 202 and marks the backup deleting; the row goes after
``reads_to_go`` further reads of it (cinder-backup's second). A backup
with a child row (any status) is refused with 400. ``service_down``:
DELETE answers 404 and nothing changes. Every request is recorded in
``events`` as (method, backup id or the listing's query).
"""

import re
import threading

from tests import hostile_server as hs
from tests.unit import base

PROJECT = 'os-backup-project-attr:project_id'
ONE = re.compile(re.escape(base.ENDPOINT) + r'/backups/(?!detail)([^/?]+)')


class FakeCinder:

    def __init__(self, requests_mock, backups, parents=None, page_size=1000,
                 reads_to_go=1):
        self.rows = list(backups)
        self.parents = dict(parents or {})
        self.listing = hs.FakeBackups(self.rows, page_size=page_size)
        self.reads_to_go = reads_to_go
        self.service_down = False
        # id -> what the backup turns into while deleting: None (gone),
        # 'error_deleting' or 'stuck' (deleting for ever).
        self.outcome = {}
        # id -> status the next read of it shows instead (changed since).
        self.changes = {}
        # Called as on_delete(id) before a DELETE is answered.
        self.on_delete = None
        self.events = []
        self._reads = {}
        self._lock = threading.Lock()
        requests_mock.get(base.LIST_URL, json=self._list)
        requests_mock.get(ONE, json=self._show)
        requests_mock.delete(ONE, json=self._delete)

    def by_id(self, backup_id):
        for row in self.rows:
            if row['id'] == backup_id:
                return row

    def ids(self):
        return sorted(row['id'] for row in self.rows)

    def deletes(self):
        return [e[1] for e in self.events if e[0] == 'DELETE']

    def listings(self):
        return [e[1] for e in self.events if e[0] == 'LIST']

    def _list(self, request, context):
        query = base.query_of(request)
        with self._lock:
            self.events.append(('LIST', {k: v[-1] for k, v in
                                         query.items()}))
            if 'parent_id' in query:
                wanted = query['parent_id'][-1]
                children = [r for r in self.rows
                            if self.parents.get(r['id']) == wanted]
                return {'backups': children[:1]}
            body = self.listing.listing(query)
            # Copies: the rows change as they are deleted.
            body['backups'] = [dict(r) for r in body['backups']]
            return body

    def _show(self, request, context):
        backup_id = ONE.match(request.url).group(1)
        with self._lock:
            self.events.append(('GET', backup_id))
            row = self.by_id(backup_id)
            if row is None:
                context.status_code = 404
                return {'itemNotFound': {'code': 404, 'message':
                                         'Backup %s could not be found.'
                                         % backup_id}}
            if backup_id in self.changes:
                row['status'] = self.changes.pop(backup_id)
                row['updated_at'] = '2030-01-01T00:00:00.000000'
            if row['status'] == 'deleting':
                self._reads[backup_id] = self._reads.get(backup_id, 0) + 1
                if self._reads[backup_id] > self.reads_to_go:
                    outcome = self.outcome.get(backup_id)
                    if outcome is None:
                        self.events.append(('GONE', backup_id))
                        self.rows.remove(row)
                        context.status_code = 404
                        return {'itemNotFound': {'code': 404}}
                    if outcome == 'error_deleting':
                        row['status'] = 'error_deleting'
            return {'backup': dict(row)}

    def _delete(self, request, context):
        backup_id = ONE.match(request.url).group(1)
        with self._lock:
            self.events.append(('DELETE', backup_id))
        if self.on_delete:
            self.on_delete(backup_id)
        with self._lock:
            row = self.by_id(backup_id)
            if self.service_down:
                context.status_code = 404
                return {'itemNotFound': {
                    'code': 404,
                    'message': 'Service cinder-backup could not be found.'}}
            if row is None:
                context.status_code = 404
                return {'itemNotFound': {'code': 404}}
            if any(p == backup_id and self.by_id(c) is not None
                   for c, p in self.parents.items()):
                context.status_code = 400
                return {'badRequest': {
                    'code': 400, 'message': 'Invalid backup: Incremental '
                    'backups exist for this backup.'}}
            if row['status'] not in ('available', 'error'):
                context.status_code = 400
                return {'badRequest': {'code': 400, 'message':
                                       'Backup status must be available '
                                       'or error'}}
            row['status'] = 'deleting'
            # As Cinder: the parent's dependents count (and updated_at).
            parent = self.by_id(self.parents.get(backup_id))
            if parent is not None:
                parent['updated_at'] = '2030-01-01T00:00:%02d.000000' % (
                    len(self.events) % 60)
            context.status_code = 202
            return None
