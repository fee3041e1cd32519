"""Filters answered on the client: fuzzy texts with Cinder's wildcards, and
the incremental flag (list, count, summary)."""

from vbsclient.api.listing import client_filters
from vbsclient.backup import Backup
from vbsclient import exceptions

from tests.unit import base

NEXT = base.LIST_URL + '?marker=bk-0003'


def rows():
    # What a server answering name~=_ (every name) might send.
    return [base.backup(1, name='db_nightly', volume_id='v%1'),
            base.backup(2, name='DB_NIGHTLY-2', is_incremental=True),
            base.backup(3, name='dbXnightly'),
            base.backup(4, name=None),
            base.backup(5, name='web_1', description='{"DESC": "d", '
                        '"INC": 1}'),
            base.backup(6, name='db_x', is_incremental=None)]


class TestKeeps(base.TestCase):

    def kept(self, **params):
        keep = client_filters.keeps(params)
        return [b['id'] for b in rows() if keep(Backup(b))]

    def test_text_without_wildcards_needs_no_check(self):
        for text in ('db', 'a&b=c', 'DB-nightly', ''):
            self.assertIsNone(client_filters.keeps({'name_like': text}))
        self.assertIsNone(client_filters.keeps({}))

    def test_wildcards_are_taken_literally_ignoring_case(self):
        self.assertEqual(['bk-0001', 'bk-0002', 'bk-0005', 'bk-0006'],
                         self.kept(name_like='_'))
        self.assertEqual(['bk-0001', 'bk-0002'],
                         self.kept(name_like='db_NIGHT'))
        self.assertEqual([], self.kept(name_like='%'))
        self.assertEqual([], self.kept(status_like='avail_'))
        self.assertEqual([], self.kept(status_like='able%'))
        self.assertEqual(['bk-0001'], self.kept(volume_like='%',
                                                name_like='db_n'))

    def test_incremental_reads_the_decoded_flag(self):
        self.assertEqual(['bk-0002', 'bk-0005'],
                         self.kept(incremental=True))
        # Unknown (None) is in neither.
        self.assertEqual(['bk-0001', 'bk-0003', 'bk-0004'],
                         self.kept(incremental=False))

    def test_every_check_applies(self):
        self.assertEqual(['bk-0002'],
                         self.kept(name_like='db_', incremental=True))


class TestListing(base.TestCase):

    def manager(self, pages=None, api_version=None):
        self.serve_versions()
        if pages is None:
            pages = [{'json': base.page(rows())}]
        self.requests_mock.get(base.LIST_URL, pages)
        return self.client(page_concurrency=1,
                           api_version=api_version).backups

    def test_wildcard_text_sent_then_rows_checked(self):
        manager = self.manager()
        self.assertEqual(
            ['bk-0001', 'bk-0002', 'bk-0006'],
            [b.id for b in manager.list(name_like='DB_')])
        [req] = self.list_requests()
        self.assertEqual({'name~': ['DB_']}, base.query_of(req))

    def test_literal_text_is_the_servers_answer(self):
        manager = self.manager()
        self.assertEqual(6, len(list(manager.list(name_like='db'))))
        self.assertEqual(2, len(list(manager.list(name_like='db',
                                                  limit=2))))
        self.assertEqual(['2'], base.query_of(
            self.list_requests()[-1])['limit'])

    def test_limit_and_offset_count_the_rows_kept(self):
        manager = self.manager([
            {'json': base.page(rows()[:3], NEXT)},
            {'json': base.page(rows()[3:])}])
        self.assertEqual(['bk-0002', 'bk-0006'], [
            b.id for b in manager.list(name_like='db_', offset=1, limit=2)])
        first, second = self.list_requests()
        self.assertEqual({'name~': ['db_']}, base.query_of(first))
        self.assertEqual({'name~': ['db_'], 'marker': ['bk-0003']},
                         base.query_of(second))

    def test_limit_reached_stops_requesting(self):
        manager = self.manager([
            {'json': base.page(rows()[:3], NEXT)},
            {'json': base.page(rows()[3:])}])
        self.assertEqual(['bk-0001'], [
            b.id for b in manager.list(name_like='_', limit=1)])
        self.assertEqual(1, len(self.list_requests()))

    def test_incremental_and_full(self):
        manager = self.manager()
        self.assertEqual(['bk-0002', 'bk-0005'], [
            b.id for b in manager.list(incremental=True)])
        self.assertEqual(['bk-0001', 'bk-0003', 'bk-0004'], [
            b.id for b in manager.list(incremental=False)])
        for req in self.list_requests():
            self.assertEqual({}, base.query_of(req))

    def test_incremental_must_be_a_bool(self):
        manager = self.manager()
        for value in ('yes', 1, 0):
            e = self.assertRaises(exceptions.InvalidParameter, manager.list,
                                  incremental=value)
            self.assertEqual('incremental', e.param)
        self.assertEqual([], self.list_requests())

    def test_gate_still_applies(self):
        manager = self.manager(api_version='3.30')
        e = self.assertRaises(exceptions.UnsupportedMicroversion,
                              manager.list, name_like='_')
        self.assertEqual('name_like', e.param)
        self.assertEqual([], self.list_requests())


class TestCount(base.TestCase):

    def test_wildcard_count_counts_the_rows_kept(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page(rows(),
                                                             count=6))
        manager = self.client(page_concurrency=1).backups
        self.assertEqual(3, manager.count(name_like='db_'))
        [req] = self.list_requests()
        self.assertEqual('db_', base.query_of(req)['name~'][0])
        self.assertNotIn('limit', base.query_of(req))

    def test_literal_count_is_the_servers(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page(rows()[:1],
                                                             count=42))
        manager = self.client(page_concurrency=1).backups
        self.assertEqual(42, manager.count(name_like='db'))

    def test_incremental_count_is_a_listing(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page(rows(),
                                                             count=6))
        manager = self.client(page_concurrency=1).backups
        self.assertEqual(2, manager.count(incremental=True))
        self.assertEqual(3, manager.count(incremental=False))
        for req in self.list_requests():
            self.assertNotIn('limit', base.query_of(req))


class TestSummary(base.TestCase):

    def test_summary_of_the_rows_kept(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page(rows()))
        manager = self.client(page_concurrency=1).backups
        [row] = manager.summary(group_by='', incremental=True)
        self.assertEqual(2, row.count)
        [row] = manager.summary(group_by='', name_like='_',
                                incremental=False)
        self.assertEqual(1, row.count)
        self.assertEqual('bk-0001', row.oldest_backup.id)
