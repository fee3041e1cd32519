"""The ordered edge search, windowed listings and windowed counts, on an
in-memory Cinder with its sort semantics (tests/unit/sorted_cinder)."""

import datetime
import logging
import random

import fixtures
import hypothesis
from hypothesis import strategies as st

from vbsclient.api.listing import edges
from vbsclient.api.listing import plan
from vbsclient.api.listing import windowed
from vbsclient.api.query import windows as windows_mod
from vbsclient import exceptions

from tests.unit import base
from tests.unit import sorted_cinder as sc

INSIDE, PAST = windows_mod.INSIDE, windows_mod.PAST

UTC = datetime.timezone.utc


def at(seconds):
    return sc.BASE.replace(tzinfo=UTC) + datetime.timedelta(seconds=seconds)


def tied_rows(n, distinct=7, nulls=0, seed=0):
    """``n`` rows over ``distinct`` created_at values (ties).

    Data timestamps shuffled, ``nulls`` of them null, statuses varied.
    """
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        created = (i * distinct // max(n, 1)) * 10
        data = 'null' if i < nulls else rnd.randrange(0, distinct * 10)
        rows.append(sc.row(created, data=data,
                           status=('available', 'error')[i % 3 == 2]))
    rnd.shuffle(rows)
    return rows


def expected(fake, query, windows, limit=None, offset=None, marker=None):
    """What listing everything and filtering on the client gives."""
    rows = fake.ordered(query)
    if marker:
        # As the server's SQL keeps them after the marker.
        found = next(r for r in fake.rows if r['id'] == marker)
        rows = sc.after_marker(rows, sc.sort_spec(query), found,
                               fake.null_marker)
    rows = [r for r in rows if windows_mod.contains_all(windows, r)]
    rows = rows[offset or 0:]
    if limit is not None:
        rows = rows[:limit]
    return [r['id'] for r in rows]


def window(field, after=None, before=None):
    return windows_mod.Window(field, None if after is None else at(after),
                              None if before is None else at(before))


class TestSearch(base.TestCase):

    def search(self, fake, win, direction='asc', **kwargs):
        query = {'sort': '%s:%s' % (win.field, direction)}
        return edges.EdgeSearch(fake, query,
                                windowed.side_in_listing(win, direction),
                                **kwargs)

    def test_interpolation_on_even_times_takes_a_few_probes(self):
        fake = sc.SortedCinder([sc.row(i) for i in range(10000)], 1000)
        for direction in ('asc', 'desc'):
            for counted in (True, False):
                fake.queries = []
                win = window('created_at', after=1234, before=8765)
                s = windowed.searcher(fake, {'sort': 'created_at:' +
                                             direction},
                                      win, direction, counted)
                self.assertEqual(8765 - 1234,
                                 s.edge(PAST) - s.edge(INSIDE))
                self.assertLessEqual(len(fake.queries),
                                     10 if counted else 30)

    def test_uneven_times_cost_at_most_twice_bisection(self):
        # Times bunched at the start, ties in long runs, nulls: guesses
        # miss, and the bisection between them bounds the cost.
        n = 4096
        rows = [sc.row((i // 16) ** 3 // 1000, data='null' if i < 50
                       else None) for i in range(n)]
        fake = sc.SortedCinder(rows, 1000)
        for after, before in ((0, 1), (3, 90), (1000, 60000),
                              (200000, 250000)):
            for direction in ('asc', 'desc'):
                fake.queries = []
                win = window('created_at', after=after, before=before)
                s = windowed.searcher(fake, {'sort': 'created_at:' +
                                             direction},
                                      win, direction, True)
                found = s.edge(PAST) - s.edge(INSIDE)
                self.assertEqual(sum(1 for r in rows if win.contains(r)),
                                 found)
                self.assertLessEqual(len(fake.queries), 2 * (12 + 2) + 2,
                                     (after, before, direction))

    def test_ties_fall_on_one_side(self):
        rows = [sc.row(t) for t in (0, 10, 10, 10, 10, 20, 30, 30)]
        fake = sc.SortedCinder(rows)
        for direction in ('asc', 'desc'):
            s = self.search(fake, window('created_at', after=10, before=30),
                            direction)
            start, end = s.edge(INSIDE), s.edge(PAST)
            self.assertEqual(5, end - start, direction)
            self.assertEqual((1, 6) if direction == 'asc' else (2, 7),
                             (start, end))

    def test_probes_are_single_rows_and_logarithmic(self):
        fake = sc.SortedCinder([sc.row(i) for i in range(1000)], 1000)
        for counted in (True, False):
            fake.queries = []
            s = self.search(fake, window('created_at', before=500),
                            counted=counted)
            self.assertEqual(500, s.edge(PAST))
            self.assertEqual([], fake.pages())
            self.assertLessEqual(len(fake.queries), 40)
            self.assertEqual(counted,
                             'with_count' in fake.queries[0])
            # The count once, on the first probe; uncounted, never.
            self.assertEqual(1 if counted else 0,
                             sum('with_count' in q for q in fake.queries))

    def test_window_to_the_end_costs_one_probe_for_its_end(self):
        fake = sc.SortedCinder([sc.row(i) for i in range(1000)], 1000)
        s = self.search(fake, window('created_at', before=100), 'desc',
                        counted=True)
        self.assertEqual(900, s.edge(INSIDE))
        probes = len(fake.queries)
        self.assertEqual(1000, s.edge(PAST))
        self.assertEqual(probes, len(fake.queries))
        self.assertLessEqual(probes, 12)

    def test_empty_listing_and_window_at_the_ends(self):
        fake = sc.SortedCinder([])
        s = self.search(fake, window('created_at', after=5))
        self.assertEqual(0, s.edge(INSIDE))
        self.assertEqual(0, s.edge(PAST))
        fake = sc.SortedCinder([sc.row(i) for i in range(9)])
        s = self.search(fake, window('created_at', after=100))
        self.assertEqual((9, 9), (s.edge(INSIDE), s.edge(PAST)))
        s = self.search(fake, window('created_at', before=-1))
        self.assertEqual((0, 0), (s.edge(INSIDE), s.edge(PAST)))

    def test_nulls_are_in_no_window_at_either_end(self):
        rows = tied_rows(40, nulls=6)
        fake = sc.SortedCinder(rows)
        win = window('data_timestamp', after=0)
        want = sum(1 for r in rows if r['data_timestamp'] is not None)
        for direction in ('asc', 'desc'):
            s = self.search(fake, win, direction)
            self.assertEqual(want, s.edge(PAST) - s.edge(INSIDE))
        fake = sc.SortedCinder(tied_rows(5, nulls=5))
        s = self.search(fake, win)
        self.assertEqual(0, s.edge(PAST) - s.edge(INSIDE))

    def test_filters_scope_and_marker_ride_on_every_probe(self):
        fake = sc.SortedCinder(tied_rows(50))
        marker = fake.ordered({'status': 'error'})[3]['id']
        side_of = windowed.side_in_listing(window('created_at', after=20),
                                           'desc')
        s = edges.EdgeSearch(fake, {'status': 'error', 'all_tenants': 1,
                                    'marker': marker}, side_of)
        s.edge(PAST)
        for q in fake.queries:
            self.assertEqual(('error', 1, marker, 1),
                             (q['status'], q['all_tenants'], q['marker'],
                              q['limit']))


class TestWindowedListing(base.TestCase):

    def ids(self, fake, windows, **kwargs):
        return [r['id'] for r in plan.listing(fake, {}, windows, **kwargs)]

    def test_default_order_reads_only_the_window(self):
        fake = sc.SortedCinder([sc.row(i) for i in range(1000)], 100)
        win = window('created_at', after=900)
        ids = self.ids(fake, [win], concurrency=4, counted=True)
        self.assertEqual(expected(fake, {}, [win]), ids)
        self.assertEqual(100, len(ids))
        # The window and the row past it, plus one row per probe.
        self.assertLessEqual(fake.rows_sent, 101 + len(fake.probes()))
        for q in fake.queries:
            self.assertNotIn('sort', q)

    def test_middle_slice_starts_after_a_row_before_it(self):
        fake = sc.SortedCinder([sc.row(i) for i in range(1000)], 100)
        win = window('created_at', after=400, before=500)
        for concurrency in (1, 3):
            fake.queries, fake.rows_sent = [], 0
            ids = self.ids(fake, [win], concurrency=concurrency)
            self.assertEqual(expected(fake, {}, [win]), ids)
            pages = fake.pages()
            self.assertEqual(fake.ordered({})[499]['id'],
                             pages[0]['marker'])
            self.assertLessEqual(fake.rows_sent, 102 + len(fake.probes()))

    def test_other_sort_key_reads_everything_and_says_why(self):
        logger = self.useFixture(fixtures.FakeLogger(level=logging.DEBUG))
        fake = sc.SortedCinder(tied_rows(60))
        win = window('created_at', before=30)
        ids = self.ids(fake, [win], sort='status:asc', limit=7, offset=2)
        self.assertEqual(expected(fake, {'sort': 'status:asc'}, [win],
                                  limit=7, offset=2), ids)
        self.assertIn('cannot be searched by position', logger.output)
        self.assertEqual([], fake.probes())

    def test_deleted_start_row_falls_back_to_an_earlier_one(self):
        fake = sc.SortedCinder([sc.row(i) for i in range(100)], 10)
        win = window('created_at', after=50, before=60)
        # Newest first: the row just before the window is created at 60.
        start_row = fake.ordered({})[39]
        deleted = []

        def fetch(query):
            if query.get('limit') != 1 and not deleted:
                deleted.append(start_row['id'])
                fake.delete(start_row['id'])
            return fake(query)
        ids = [r['id'] for r in plan.listing(fetch, {}, [win])]
        self.assertEqual(expected(fake, {}, [win]), ids)
        markers = [q.get('marker') for q in fake.pages()]
        self.assertEqual(start_row['id'], markers[0])
        self.assertNotEqual(start_row['id'], markers[1])

    def test_unknown_user_marker(self):
        fake = sc.SortedCinder([sc.row(i) for i in range(10)])
        e = self.assertRaises(
            exceptions.MarkerNotFound, self.ids, fake,
            [window('created_at', after=3)], marker='nope')
        self.assertIn('marker nope: no such backup', str(e))

    def test_never_reads_after_a_row_whose_field_is_null(self):
        # Ascending, nulls first: the row before the window is null.  After
        # it older Cinder keeps only null rows ('sql'), Cinder 29 all.
        rows = ([sc.row(i, data='null') for i in range(30)]
                + [sc.row(100 + i) for i in range(70)])
        nulls = {r['id'] for r in rows[:30]}
        wins = [window('data_timestamp', after=0)]
        for null_marker in ('1900', 'sql'):
            fake = sc.SortedCinder(rows, 50, null_marker)
            for kwargs in ({}, {'limit': 5}, {'offset': 3}):
                fake.queries = []
                ids = self.ids(fake, wins, sort='data_timestamp:asc',
                               **kwargs)
                self.assertEqual(expected(fake, {'sort': 'data_timestamp:asc'},
                                          wins, **kwargs), ids,
                                 (null_marker, kwargs))
                self.assertEqual(set(), nulls & {
                    q.get('marker') for q in fake.queries})
            # A count over two windows reads the first one's rows.
            both = wins + [window('created_at', before=150)]
            self.assertEqual(50, plan.count(fake, {}, both)[0])
        # More null rows than a page: paging from the start passes a null
        # marker.  Cinder 29 goes on; after older Cinder's empty page the
        # window would be empty: that is an error, not a silent answer.
        fake = sc.SortedCinder(rows, 10, '1900')
        self.assertEqual(70, len(self.ids(fake, wins,
                                          sort='data_timestamp:asc')))
        fake = sc.SortedCinder(rows, 10, 'sql')
        e = self.assertRaises(exceptions.PaginationError, self.ids, fake,
                              wins, sort='data_timestamp:asc')
        self.assertIn('from the start of the listing', str(e))

    def test_read_that_skips_the_window_start_fails(self):
        # A server that drops the first row after a marker, or every row.
        rows = [sc.row(i) for i in range(100)]
        win = window('created_at', after=40, before=60)
        for drop in (1, None):
            fake = SkippingCinder(rows, 10, drop)
            ordered = fake.ordered({'sort': 'created_at:asc'})
            e = self.assertRaises(exceptions.PaginationError, self.ids,
                                  fake, [win], sort='created_at:asc')
            self.assertIn('skipped backup %s, the first of the window '
                          'created_at in [2026-01-01T08:00:40Z, '
                          '2026-01-01T08:01:00Z), when asked for the '
                          'backups after backup %s'
                          % (ordered[40]['id'], ordered[39]['id']), str(e))
            self.assertEqual(1, len(str(e).splitlines()))

    def test_first_window_row_deleted_since_the_search_is_no_error(self):
        fake = sc.SortedCinder([sc.row(i) for i in range(100)], 10)
        win = window('created_at', after=40, before=60)
        first = fake.ordered({'sort': 'created_at:asc'})[40]['id']

        def fetch(query):
            if query.get('limit') != 1 and any(
                    r['id'] == first for r in fake.rows):
                fake.delete(first)
            return fake(query)
        ids = [r['id'] for r in plan.listing(
            fetch, {}, [win], sort='created_at:asc')]
        self.assertEqual(19, len(ids))
        self.assertNotIn(first, ids)

    def test_404_without_a_marker_is_the_endpoints(self):
        fake = sc.SortedCinder([sc.row(i) for i in range(30)], 10)

        def fetch(query):
            if query.get('limit') != 1:
                raise exceptions.HTTPError('GET', sc.URL, 404, 'Not Found',
                                           'no route', None)
            return fake(query)
        e = self.assertRaises(
            exceptions.HTTPError, list, plan.listing(
                fetch, {}, [window('created_at', before=10)],
                sort='created_at:asc'))
        self.assertNotIsInstance(e, exceptions.MarkerNotFound)
        self.assertEqual('VBS API answered 404 Not Found to GET %s: no route'
                         % sc.URL, str(e))

    def test_limit_zero_sends_nothing(self):
        fake = sc.SortedCinder([sc.row(i) for i in range(10)])
        self.assertEqual([], self.ids(fake, [window('created_at', after=3)],
                                      limit=0))
        self.assertEqual([], fake.queries)

    def test_second_field_filtered_on_the_client(self):
        fake = sc.SortedCinder(tied_rows(80, nulls=5))
        wins = [window('created_at', after=10, before=60),
                window('data_timestamp', before=40)]
        for kwargs in ({}, {'limit': 5, 'offset': 3}):
            self.assertEqual(expected(fake, {}, wins, **kwargs),
                             self.ids(fake, wins, **kwargs))
            self.assertEqual(
                len(expected(fake, {}, wins)),
                plan.count(fake, {}, wins)[0])

    SORTS = st.sampled_from([None, 'created_at:asc', 'created_at:desc',
                             'created_at', 'data_timestamp:asc',
                             'data_timestamp:desc,status:asc',
                             'status:asc'])
    BOUND = st.one_of(st.none(), st.integers(-5, 75))

    @hypothesis.given(n=st.integers(0, 60), distinct=st.integers(1, 9),
                      nulls=st.integers(0, 4), sort=SORTS,
                      field=st.sampled_from(windows_mod.FIELDS),
                      after=BOUND, before=BOUND,
                      limit=st.one_of(st.none(), st.integers(1, 70)),
                      offset=st.one_of(st.none(), st.integers(0, 30)),
                      marker_at=st.one_of(st.none(), st.integers(0, 59)),
                      status=st.sampled_from([None, 'error']),
                      concurrency=st.sampled_from([1, 3]),
                      counted=st.booleans(), page=st.integers(2, 9),
                      null_marker=st.sampled_from(['1900', 'sql']))
    def test_exact_as_listing_everything_and_filtering(
            self, n, distinct, nulls, sort, field, after, before, limit,
            offset, marker_at, status, concurrency, counted, page,
            null_marker):
        hypothesis.assume(after is not None or before is not None)
        hypothesis.assume(after is None or before is None or after < before)
        fake = sc.SortedCinder(tied_rows(n, distinct, min(nulls, n)), page,
                               null_marker)
        filters = {'status': status} if status else {}
        query = dict(filters, sort=sort) if sort else dict(filters)
        ordered = fake.ordered(query)
        marker = (ordered[marker_at]['id']
                  if marker_at is not None and marker_at < len(ordered)
                  else None)
        wins = [window(field, after, before)]
        got = [r['id'] for r in plan.listing(
            fake, filters, wins, sort=sort, limit=limit, offset=offset,
            marker=marker, concurrency=concurrency, counted=counted)]
        self.assertEqual(expected(fake, query, wins, limit, offset, marker),
                         got)
        if not marker:
            self.assertEqual(len(expected(fake, filters, wins)),
                             plan.count(fake, filters, wins,
                                        concurrency, counted)[0])


class TestWhileRowsMove(base.TestCase):
    """Rows created and deleted between requests."""

    @hypothesis.given(n=st.integers(5, 80), seed=st.integers(0, 10 ** 6),
                      changes=st.lists(st.tuples(
                          st.integers(0, 30), st.booleans(),
                          st.integers(-5, 85)), max_size=6),
                      concurrency=st.sampled_from([1, 3]),
                      counted=st.booleans())
    def test_count_off_by_at_most_the_changes(self, n, seed, changes,
                                              concurrency, counted):
        fake = sc.SortedCinder(tied_rows(n, distinct=8, seed=seed), 10)
        wins = [window('created_at', after=20, before=60)]
        rnd = random.Random(seed)
        for when, create, created in changes:
            def change(f, create=create, created=created):
                if create or not f.rows:
                    f.create(created)
                else:
                    f.delete(rnd.choice(f.rows)['id'])
            fake.hooks[when] = change
        got, _sample = plan.count(fake, {}, wins, concurrency, counted)
        applied = sum(1 for when in fake.hooks if when < len(fake.queries))
        now = len(expected(fake, {}, wins))
        self.assertLessEqual(abs(got - now), applied)
        if not applied:
            self.assertEqual(now, got)

    @hypothesis.given(n=st.integers(5, 80), seed=st.integers(0, 10 ** 6),
                      changes=st.lists(st.tuples(
                          st.integers(0, 30), st.booleans(),
                          st.integers(-5, 85)), max_size=6),
                      sort=st.sampled_from([None, 'created_at:asc']),
                      concurrency=st.sampled_from([1, 3]))
    def test_listing_keeps_the_paging_promise(self, n, seed, changes, sort,
                                              concurrency):
        """Window rows that exist throughout come once each, in order.

        Nothing outside the window comes.
        """
        fake = sc.SortedCinder(tied_rows(n, distinct=8, seed=seed), 4)
        wins = [window('created_at', after=20, before=60)]
        query = {'sort': sort} if sort else {}
        before = set(expected(fake, query, wins))
        ever = {r['id']: r for r in fake.rows}
        deleted = set()
        rnd = random.Random(seed)
        for when, create, created in changes:
            def change(f, create=create, created=created):
                if create or not f.rows:
                    new = f.create(created)
                    ever[new['id']] = new
                else:
                    gone = rnd.choice(f.rows)['id']
                    deleted.add(gone)
                    f.delete(gone)
            fake.hooks[when] = change
        got = [r['id'] for r in plan.listing(
            fake, {}, wins, sort=sort, concurrency=concurrency)]
        self.assertEqual(len(got), len(set(got)), 'a row came twice')
        self.assertTrue(all(windows_mod.contains_all(wins, ever[i])
                            for i in got))
        persistent = before - deleted
        order = [i for i in expected(fake, query, wins)]
        self.assertEqual([i for i in order if i in persistent],
                         [i for i in got if i in persistent])
        self.assertEqual(set(), persistent - set(got))


class SkippingCinder(sc.SortedCinder):
    """Drops ``drop`` rows (None: all) after a marker on every page."""

    def __init__(self, rows, page_size, drop):
        super().__init__(rows, page_size)
        self.drop = drop

    def __call__(self, query):
        url, body, page = super().__call__(query)
        if query.get('marker'):
            del page[:self.drop]
        return url, dict(body, backups=page), page
