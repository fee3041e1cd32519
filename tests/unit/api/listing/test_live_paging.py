"""Paging while backups are created and deleted between requests.

A Cinder-like fake (tests/hostile_server.FakeBackups: filters, marker,
offset, limit, with_count, next links; 404 for a marker it does not know)
answers through requests-mock; a hook changes its rows before chosen
requests.  The promise checked: every backup that exists for the whole
listing appears exactly once, in the server's order, and nothing else
but rows that existed at some point.
"""


import fixtures
import hypothesis
from hypothesis import strategies as st

from vbsclient.api.listing import fanout
from vbsclient.api.listing import paging
from vbsclient import exceptions
from vbsclient.osc.v3 import errors

from tests import hostile_server as hs
from tests.unit import base

PAGE = 10
# A UUID no fake server knows: sent as it is, never looked up by name.
GONE = '0e0e0e0e-0000-4000-8000-00000000dead'


class LiveCinder:
    """FakeBackups whose rows change before chosen requests."""

    def __init__(self, rows, page_size=PAGE):
        self.fake = hs.FakeBackups(list(rows), page_size=page_size)
        self.order = {b['id']: i for i, b in enumerate(rows)}
        self.ever = {b['id'] for b in rows}
        self.deleted = set()
        self.hooks = {}
        self.after = {}
        self.shift_once = False
        self.queries = []
        self.fail = {}

    def delete(self, ids):
        self.deleted.update(ids)
        self.fake.backups = [b for b in self.fake.backups
                             if b['id'] not in ids]

    def create(self, position, backup):
        """Insert ``backup`` at ``position`` of the current order."""
        self.ever.add(backup['id'])
        self.fake.backups.insert(position, backup)

    def persistent(self):
        return [i for i in self.order if i not in self.deleted]

    def __call__(self, request, context):
        query = base.query_of(request)
        n = len(self.queries)
        self.queries.append(query)
        hook = self.hooks.get(n)
        if hook:
            hook(self)
        if n in self.fail:
            context.status_code = self.fail[n]
            return {'computeFault': {'code': self.fail[n],
                                     'message': 'boom'}}
        marker = query.get('marker', [None])[-1]
        if marker and marker not in {b['id'] for b in self.fake.backups}:
            context.status_code = 404
            return {'itemNotFound': {'code': 404, 'message':
                                     'Backup %s could not be found.'
                                     % marker}}
        if self.shift_once and 'offset' in query:
            self.shift_once = False
            query = dict(query, offset=[str(int(query['offset'][-1]) + 1)])
        body = self.fake.listing(query)
        after = self.after.pop(marker, None)
        if after:
            after(self)
        return body


class LiveTest(base.TestCase):

    concurrency = 1

    def setUp(self):
        super().setUp()
        self.serve_versions()

    def serve(self, live):
        self.requests_mock.get(base.LIST_URL, json=live)
        return live

    def list_ids(self, **kwargs):
        client = self.client(page_concurrency=self.concurrency)
        return [b.id for b in client.backups.list(**kwargs)]

    def assertKept(self, live, ids, offset=0):
        """The promise: exactly once, in order, persistent rows all in.

        ``offset`` rows of the original order were skipped by the first
        request (changes come only after it).
        """
        self.assertEqual(len(set(ids)), len(ids), 'a row came twice')
        self.assertTrue(set(ids) <= live.ever)
        skipped = set(list(live.order)[:offset])
        persistent = [i for i in live.persistent() if i not in skipped]
        self.assertEqual(persistent, [i for i in ids if i in persistent])


class TestSequentialWhileDataMoves(LiveTest):

    def rows(self, n=35):
        return [hs.backup(i) for i in range(1, n + 1)]

    def test_marker_row_deleted(self):
        rows = self.rows()
        live = self.serve(LiveCinder(rows))
        live.hooks[1] = lambda c: c.delete({rows[PAGE - 1]['id']})
        ids = self.list_ids()
        self.assertKept(live, ids)
        # The deleted row was printed before it went: nothing repeats.
        self.assertEqual([b['id'] for b in rows], ids)
        # The failed marker, then the row before it.
        self.assertEqual([rows[PAGE - 1]['id'], rows[PAGE - 2]['id']],
                         [q['marker'][0] for q in live.queries[1:3]])

    def test_last_rows_of_the_page_deleted(self):
        rows = self.rows()
        live = self.serve(LiveCinder(rows))
        gone = {b['id'] for b in rows[PAGE - 4:PAGE]}
        live.hooks[1] = lambda c: c.delete(gone)
        ids = self.list_ids()
        self.assertKept(live, ids)
        self.assertEqual([b['id'] for b in rows], ids)

    def test_whole_page_deleted_is_one_line(self):
        rows = self.rows()
        live = self.serve(LiveCinder(rows))
        live.hooks[1] = lambda c: c.delete({b['id'] for b in rows[:PAGE]})
        e = self.assertRaises(exceptions.PaginationError, self.list_ids)
        self.assertIn('deleted while listing', str(e))
        self.assertIn(rows[PAGE - 1]['id'], str(e))
        self.assertNotIn('\n', str(e))
        # Stepping back 1, 2, 4 ... rows, then the first: not one per row.
        self.assertLessEqual(len(live.queries), 2 + 6)

    def test_rows_created_at_the_head_and_in_the_middle(self):
        rows = self.rows()
        live = self.serve(LiveCinder(rows))
        live.hooks[1] = lambda c: c.create(0, hs.backup(100))
        live.hooks[2] = lambda c: c.create(25, hs.backup(101))
        ids = self.list_ids()
        self.assertKept(live, ids)
        self.assertNotIn(hs.backup(100)['id'], ids)  # before the marker
        self.assertIn(hs.backup(101)['id'], ids)     # after it

    def test_with_offset_and_limit(self):
        rows = self.rows()
        live = self.serve(LiveCinder(rows))
        live.hooks[1] = lambda c: c.delete({rows[PAGE + 2]['id']})
        ids = self.list_ids(offset=3, limit=20)
        self.assertEqual([b['id'] for b in rows[3:23]], ids)

    def test_users_marker_that_does_not_exist(self):
        self.serve(LiveCinder(self.rows()))
        client = self.client(page_concurrency=1)
        e = self.assertRaises(exceptions.MarkerNotFound, list,
                              client.backups.list(marker=GONE))
        self.assertEqual(GONE, e.marker)
        self.assertEqual('marker %s: no such backup (the server answered '
                         '404: Backup %s could not be found.)'
                         % (GONE, GONE), str(e))
        self.assertEqual('--marker %s: no such backup (the server answered '
                         '404: Backup %s could not be found.)'
                         % (GONE, GONE), errors.in_cli_words(e))


# Deletes and creates before random requests of a 60-row listing.
CHANGES = st.lists(st.tuples(
    st.integers(min_value=1, max_value=12),
    st.sampled_from(['delete', 'create']),
    st.integers(min_value=0, max_value=59),
    st.integers(min_value=1, max_value=4)), max_size=8)


class TestRandomInterleavings(LiveTest):

    def check(self, events, **kwargs):
        # Examples share one test: pages the previous one left in flight
        # (read ahead, not needed) would reach this one's fake as its
        # first requests, and fire its changes early.
        base.join_request_threads()
        rows = [hs.backup(i) for i in range(1, 61)]
        live = LiveCinder(rows)
        self.requests_mock.reset()
        self.serve_versions()
        self.serve(live)
        serial = [1000]

        def make(kind, at, many):
            def hook(c):
                current = c.fake.backups
                if kind == 'delete':
                    c.delete({b['id'] for b in current[at:at + many]})
                else:
                    for _ in range(many):
                        serial[0] += 1
                        c.create(min(at, len(c.fake.backups)),
                                 hs.backup(serial[0]))
            return hook
        for n, kind, at, many in events:
            previous = live.hooks.get(n)
            hook = make(kind, at, many)
            if previous:
                live.hooks[n] = (lambda c, a=previous, b=hook: (a(c), b(c)))
            else:
                live.hooks[n] = hook
        try:
            ids = self.list_ids(**kwargs)
        except exceptions.PaginationError as e:
            # Only when a whole page went: said in one line.
            self.assertIn('deleted while listing', str(e))
            self.assertGreaterEqual(len(live.deleted), PAGE, e)
            return
        self.assertKept(live, ids, kwargs.get('offset', 0))

    @hypothesis.given(CHANGES)
    def test_sequential(self, events):
        self.concurrency = 1
        self.check(events)

    @hypothesis.given(CHANGES)
    def test_concurrent(self, events):
        self.concurrency = 4
        self.check(events)

    @hypothesis.given(CHANGES)
    def test_concurrent_with_offset(self, events):
        self.concurrency = 3
        self.check(events, offset=5)


class TestFanOut(LiveTest):

    concurrency = 4

    def test_plan(self):
        # 25 rows, pages of 10 overlapping by one: 0-9, 9-18, 18-24.
        self.assertEqual([(9, 10), (18, 10)], fanout.plan(25, 10, None))
        self.assertEqual([(9, 10), (18, 10)], fanout.plan(22, 10, None))
        self.assertEqual([(9, 10)], fanout.plan(17, 10, None))
        self.assertEqual([(9, 6)], fanout.plan(100, 10, 15))
        self.assertEqual([], fanout.plan(10, 10, None))

    def test_verified_pages(self):
        rows = [hs.backup(i) for i in range(1, 96)]
        live = self.serve(LiveCinder(rows))
        ids = self.list_ids()
        self.assertEqual([b['id'] for b in rows], ids)
        # ceil(95 / 9) = 11 pages, the last one short.
        self.assertEqual(11, len(live.queries), live.queries)
        self.assertEqual(['true'], live.queries[0]['with_count'])
        # Each page after the first by marker: the last row of the
        # furthest page answered when it was asked for, right after it
        # (no overlap row) or with an offset of at most the concurrency in
        # pages.
        later = live.queries[1:]  # in the order they reached the server
        # Each asks for exactly a planned page: the row after its marker,
        # plus its offset, is the page's first row (its second when the
        # page follows its marker, which is then the overlap row).
        position = {b['id']: i for i, b in enumerate(rows)}
        starts = sorted(
            position[q['marker'][0]] + int(q.get('offset', ['0'])[0])
            + (0 if q['limit'] == ['9'] else 1) for q in later)
        self.assertEqual(list(range(9, 95, 9)), starts)
        page_ends = {rows[i]['id'] for i in range(9, 95, 9)}
        self.assertTrue(all(q['marker'][0] in page_ends for q in later))
        follows = [q for q in later if 'offset' not in q]
        self.assertEqual(rows[9]['id'], follows[0]['marker'][0])
        self.assertTrue(all(q['limit'] == ['9'] for q in follows))
        offsets = [int(q['offset'][0]) for q in later if 'offset' in q]
        self.assertEqual(10, len(follows) + len(offsets))
        self.assertLessEqual(max(offsets), 4 * 9)

    def test_full_last_page_is_confirmed_by_marker(self):
        rows = [hs.backup(i) for i in range(1, 20)]  # 0-9, 9-18: full
        live = self.serve(LiveCinder(rows))
        # Created once the second page is answered (full, as planned).
        live.after[rows[9]['id']] = lambda c: c.create(len(c.fake.backups),
                                                       hs.backup(500))
        ids = self.list_ids()
        self.assertEqual([b['id'] for b in rows] + [hs.backup(500)['id']],
                         ids)
        # The end confirmed one page at a time: marker, no limit.
        self.assertIn('marker', live.queries[-1])
        self.assertNotIn('limit', live.queries[-1])

    def test_mismatch_falls_back_to_markers(self):
        rows = [hs.backup(i) for i in range(1, 60)]
        live = self.serve(LiveCinder(rows))
        # The first page asked for by offset comes back one row further,
        # as when a row before it went between two requests.
        live.shift_once = True
        ids = self.list_ids()
        self.assertKept(live, ids)
        # The listing went on one page at a time (marker, no limit).
        self.assertTrue(any('marker' in q and 'limit' not in q
                            for q in live.queries))

    def test_limit_sends_nothing_beyond_it(self):
        rows = [hs.backup(i) for i in range(1, 200)]
        live = self.serve(LiveCinder(rows))
        ids = self.list_ids(limit=25)
        self.assertEqual([b['id'] for b in rows[:25]], ids)
        self.assertEqual(3, len(live.queries))  # 0-9, 10-18, 18-24
        self.assertEqual([(0, 9), (8, 7)], sorted(
            (int(q.get('offset', ['0'])[0]), int(q['limit'][0]))
            for q in live.queries[1:]))

    def test_failed_page_fails_the_listing(self):
        rows = [hs.backup(i) for i in range(1, 60)]
        live = self.serve(LiveCinder(rows))
        live.fail[3] = 500
        self.useFixture(fixtures.MockPatch(
            'vbsclient.api.http.transport.RETRIES', 0))
        client = self.client(page_concurrency=4)
        e = self.assertRaises(exceptions.HTTPError, list,
                              client.backups.list())
        self.assertEqual(500, e.status)

    def test_count_changing(self):
        rows = [hs.backup(i) for i in range(1, 40)]
        live = self.serve(LiveCinder(rows))
        # More rows after the count was taken: picked up by markers.
        live.hooks[1] = lambda c: [c.create(len(c.fake.backups),
                                            hs.backup(600 + i))
                                   for i in range(12)]
        ids = self.list_ids()
        self.assertEqual([b['id'] for b in live.fake.backups], ids)

    def test_sequential_below_3_45(self):
        rows = [hs.backup(i) for i in range(1, 30)]
        live = self.serve(LiveCinder(rows))
        client = self.client(page_concurrency=4, api_version='3.44')
        self.assertEqual([b['id'] for b in rows],
                         [b.id for b in client.backups.list()])
        self.assertFalse(any('offset' in q or 'with_count' in q
                             for q in live.queries))


class TestEndlessServer(base.TestCase):

    def test_listing_is_bounded_by_default(self):
        # A server whose every page links to a fresh marker: a listing left
        # at its default bound stops with one line, after that many pages.
        fetched = []

        def fetch(query):
            fetched.append(query)
            # Far past any sensible bound: fail rather than hang.
            self.assertLess(len(fetched), 10 ** 5, 'no bound')
            row = {'id': 'bk-%06d' % len(fetched)}
            link = '?marker=%s' % row['id']
            return 'url', {'backups': [row], 'backups_links': [
                {'rel': 'next', 'href': link}]}, [row]
        listing = paging.ListingState(fetch, {})
        e = self.assertRaises(exceptions.PaginationError, list,
                              listing.sequential(listing.first_query()))
        self.assertEqual(paging.MAX_PAGES, len(fetched))
        self.assertIn('after %d pages' % paging.MAX_PAGES, str(e))
