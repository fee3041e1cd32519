"""Age windows on ``client.backups`` (list and count keywords), against an
in-memory Cinder with its sort semantics behind requests-mock."""

import datetime
import threading

from vbsclient.api.query import windows as windows_mod
from vbsclient import exceptions

from tests.unit import base
from tests.unit import sorted_cinder as sc

UTC = datetime.timezone.utc


def serve(test, fake):
    """Answer list requests from ``fake`` (tests.unit.sorted_cinder)."""
    def answer(request, context):
        query = {k: v[-1] for k, v in base.query_of(request).items()}
        try:
            return fake(query)[1]
        except exceptions.HTTPError as e:
            context.status_code = 404
            return {'itemNotFound': {'code': 404, 'message': e.detail}}
    test.serve_versions()
    test.requests_mock.get(base.LIST_URL, json=answer)
    return fake


def join_request_threads():
    for thread in threading.enumerate():
        if thread.name in ('vbs-page', 'vbs-probe'):
            thread.join(10)


def at(seconds):
    return sc.BASE + datetime.timedelta(seconds=seconds)


class TestWindows(base.TestCase):

    def setUp(self):
        super().setUp()
        # A listing that stopped early leaves page requests in flight; they
        # must not reach the next test's server.
        self.addCleanup(join_request_threads)
        rows = [sc.row(10 * (i // 4), data=(i * 7) % 100,
                       status=('available', 'error')[i % 5 == 0])
                for i in range(60)]
        self.fake = serve(self, sc.SortedCinder(rows, page_size=7))

    def expected(self, query=None, limit=None, **params):
        wins = windows_mod.from_params(params)
        rows = [r for r in self.fake.ordered(query or {})
                if windows_mod.contains_all(wins, r)]
        return [r['id'] for r in rows[:limit]]

    def test_list_keywords_take_strings_datetimes_and_dates(self):
        for concurrency in (1, 4):
            backups = self.client(page_concurrency=concurrency).backups
            got = [b.id for b in backups.list(
                created_after='2026-01-01T08:00:40Z',
                created_before=at(120))]
            self.assertEqual(self.expected(created_after=at(40),
                                           created_before=at(120)), got)
            self.assertEqual(32, len(got))
        aware = at(40).replace(tzinfo=UTC)
        got = [b.id for b in self.client().backups.list(
            data_timestamp_after=aware, sort='data_timestamp:asc', limit=5)]
        self.assertEqual(self.expected({'sort': 'data_timestamp:asc'}, 5,
                                       data_timestamp_after=aware), got)

    def test_ages_count_from_now(self):
        backups = self.client().backups
        # Every seeded row is older than an hour and younger than 100 w.
        self.assertEqual(60, backups.count(created_before='1h'))
        self.assertEqual(60, backups.count(
            created_before=datetime.timedelta(0)))
        self.assertEqual(0, backups.count(created_after='1h'))
        self.assertEqual(60, backups.count(created_after='10000w'))

    def test_count_reads_positions_only_at_any_microversion(self):
        for version in ('3.0', '3.44', '3.64'):
            self.fake.queries = []
            backups = self.client(api_version=version).backups
            self.assertEqual(
                len(self.expected({'status': 'error'}, created_after=at(30),
                                  created_before=at(90))),
                backups.count(created_after=at(30), created_before=at(90),
                              status='error'))
            for q in self.fake.queries:
                self.assertEqual(('1', 'error'), (q['limit'], q['status']))
            # The first probe also asks for the total, when it can.
            self.assertEqual([version == '3.64'] + [False] * (
                len(self.fake.queries) - 1),
                ['with_count' in q for q in self.fake.queries])
        # Without a window counting still needs 3.45.
        self.assertRaises(exceptions.UnsupportedMicroversion,
                          self.client(api_version='3.44').backups.count)

    def test_bad_values_send_nothing(self):
        backups = self.client().backups
        for kwargs in ({'created_before': '5y'},
                       {'data_timestamp_after': '-1d'},
                       {'created_after': 'soon'},
                       {'created_before': 7},
                       {'created_after': datetime.timedelta(days=-1)}):
            e = self.assertRaises(exceptions.InvalidParameter, backups.list,
                                  **kwargs)
            self.assertEqual(list(kwargs)[0], e.param)
            self.assertRaises(exceptions.InvalidParameter, backups.count,
                              **kwargs)
        e = self.assertRaises(exceptions.InvalidParameter, backups.count,
                              created_after='2026-02-01',
                              created_before='2026-01-01')
        self.assertEqual('created_after', e.param)
        self.assertIn('not earlier than created_before', str(e))
        self.assertEqual([], self.requests_mock.request_history)

    def test_other_sort_key_reads_everything(self):
        got = [b.id for b in self.client().backups.list(
            sort='size:asc', created_before=at(30), offset=2, limit=4)]
        self.assertEqual(self.expected({'sort': 'size:asc'},
                                       created_before=at(30))[2:6], got)
        self.assertEqual([], [q for q in self.fake.queries
                              if q.get('limit') == '1'])

    def test_marker_by_name_and_window(self):
        ordered = self.fake.ordered({})
        inside = self.expected(created_after=at(40), created_before=at(120))
        marker = inside[3]
        name = 'backup-%s' % marker
        for r in self.fake.rows:
            if r['id'] == marker:
                r['name'] = name
        got = [b.id for b in self.client().backups.list(
            created_after=at(40), created_before=at(120), marker=name,
            offset=1, limit=3)]
        self.assertEqual(inside[5:8], got)
        self.assertIn(marker, [r['id'] for r in ordered])
