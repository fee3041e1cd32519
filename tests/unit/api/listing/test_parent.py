"""``client.backups.parent_of``: an incremental's inferred parent, from one
filtered request."""

from vbsclient import backup as backup_mod
from vbsclient import exceptions

from tests.unit import base

VOLUME = '27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a11'
OTHER_PROJECT = 'ee6b0f3ac7cc4bd8a5b7a4b1b8f0b6f1'
OWNER = 'os-backup-project-attr:project_id'


def row(n, **fields):
    fields.setdefault('volume_id', VOLUME)
    fields.setdefault('data_timestamp', '2026-01-01T00:00:%02d.000000' % n)
    return base.backup(n, **fields)


def child(**fields):
    return backup_mod.Backup(row(30, is_incremental=True, **fields))


class TestParentOf(base.TestCase):

    def setUp(self):
        super().setUp()
        self.serve_versions()
        self.manager = self.client(page_concurrency=1).backups

    def serve(self, *pages):
        self.requests_mock.get(base.LIST_URL, [{'json': p} for p in pages])

    def test_one_request_of_one_row(self):
        self.serve(base.page([row(29)], base.LIST_URL + '?marker=bk-0029'))
        parent = self.manager.parent_of(child())
        self.assertEqual('bk-0029', parent.id)
        self.assertIsInstance(parent, backup_mod.Backup)
        [req] = self.list_requests()
        self.assertEqual({'volume_id': [VOLUME], 'status': ['available'],
                          'marker': ['bk-0030'], 'limit': ['1']},
                         base.query_of(req))

    def test_older_rows_read_while_they_could_hold_newer_data(self):
        # The newest row is a backup of an old snapshot: an older row may
        # have newer data, so the next page is read.
        self.serve(
            base.page([row(29, data_timestamp='2026-01-01T00:00:01.000000')],
                      base.LIST_URL + '?marker=bk-0029'),
            base.page([row(28), row(27)]))
        self.assertEqual('bk-0028', self.manager.parent_of(child()).id)
        first, second = self.list_requests()
        self.assertEqual(['bk-0029'], base.query_of(second)['marker'])

    def test_no_candidate(self):
        self.serve(base.page([]))
        self.assertIsNone(self.manager.parent_of(child()))

    def test_full_backup_needs_no_request(self):
        for backup in (backup_mod.Backup(row(30)),
                       child(volume_id=None), child(created_at=None)):
            self.assertIsNone(self.manager.parent_of(backup))
        self.assertEqual([], self.requests_mock.request_history)

    def test_another_projects_backup_is_looked_for_in_every_project(self):
        self.serve(base.page([row(29)]))
        self.manager.parent_of(child(**{OWNER: OTHER_PROJECT}))
        self.assertEqual(['1'], base.query_of(
            self.list_requests()[0])['all_tenants'])

    def test_own_projects_backup_stays_in_the_project(self):
        manager = self.client(self.catalog_session([
            ('vbs', base.VBS_ROOT + '/v3/%s' % base.PROJECT_ID)]),
            page_concurrency=1).backups
        self.serve(base.page([row(29)]))
        manager.parent_of(child(**{OWNER: base.PROJECT_ID}))
        self.assertNotIn('all_tenants', base.query_of(
            self.list_requests()[0]))

    def test_deleted_meanwhile(self):
        self.requests_mock.get(base.LIST_URL, status_code=404, json={
            'itemNotFound': {'code': 404, 'message': 'gone'}})
        e = self.assertRaises(exceptions.NotFound, self.manager.parent_of,
                              child())
        self.assertIn('bk-0030 was deleted', str(e))

    def test_not_a_backup(self):
        e = self.assertRaises(exceptions.InvalidParameter,
                              self.manager.parent_of, 'bk-0030')
        self.assertEqual('backup', e.param)
