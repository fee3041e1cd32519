"""Paging on the real Cinder while backups are created and deleted.

A front (tests/harness/front.py) before a cinder-api with pages of 10 runs
a hook before chosen list requests; the hook changes Cinder's database
between two page requests of one ``openstack vbs backup list``.  The
promise checked: every backup that exists for the whole listing appears
exactly once, in the server's order; created or deleted ones may or may
not; the listing never fails or repeats a row because rows came or went.
"""

import threading

import hypothesis
from hypothesis import strategies as st

from tests.functional import base
from tests.harness import front as front_mod
from tests.harness import seed

PAGE = 10
TOTAL = 60


class LiveTest(base.FunctionalTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = base.extra_cinder(cls.cloud, PAGE)
        cls.front = front_mod.Front(cls.server).start()

    @classmethod
    def tearDownClass(cls):
        cls.front.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.lock = threading.Lock()
        self.reset()
        self.front.before = self.before
        self.addCleanup(setattr, self.front, 'before', None)

    def reset(self):
        """Fresh backups (the member's and the admin's), no changes yet."""
        self.cloud.clear_backups()
        self.rows = self.cloud.seed_backups(TOTAL)
        self.admin_rows = self.cloud.seed_backups(
            15, project_id=self.cloud.admin.project_id)
        self.deleted = set()
        self.created = set()
        self.hooks = {}
        self.list_count = 0

    def before(self, request):
        if not request.path.endswith('/backups/detail'):
            return
        with self.lock:
            n = self.list_count
            self.list_count += 1
            hook = self.hooks.pop(n, None)
        if hook:
            hook()

    # -- changes to Cinder's database ---------------------------------------
    def delete(self, ids):
        seed.delete_backups(self.cloud.cinder_db_path, ids)
        self.deleted.update(ids)

    def create(self, after_index, project_id=None):
        """A backup created just after ``self.rows[after_index]``."""
        row = self.rows[after_index]
        new = self.cloud.seed_backups(
            1, project_id=project_id,
            created_at=seed.just_after(row['created_at']))[0]
        self.created.add(new['id'])
        return new

    # -- running and checking ------------------------------------------------
    def listing(self, *args, user='member', env=None):
        endpoint = '%s/v3/%s' % (self.front.url, self.project_id(user))
        return self.openstack(
            '--os-vbs-endpoint-override', endpoint, 'vbs', 'backup', 'list',
            '-f', 'value', '-c', 'ID', *args, user=user, env=env,
            compare_sequential=False)

    def ids(self, *args, **kwargs):
        rc, out, err = self.listing(*args, **kwargs)
        self.assertEqual(0, rc, err)
        self.assertEqual('', err)
        return out.split()

    def assertKept(self, ids, expected_order, limited=False):
        """``expected_order``: the ids the server would list, unchanged.

        ``limited``: the listing stopped at a --limit, so only the rows up
        to the last one printed are due.
        """
        self.assertEqual(len(set(ids)), len(ids), 'a backup came twice')
        if limited and ids:
            expected_order = expected_order[
                :expected_order.index(ids[-1]) + 1]
        everything = set(expected_order) | self.created
        self.assertTrue(set(ids) <= everything, set(ids) - everything)
        persistent = [i for i in expected_order if i not in self.deleted]
        self.assertEqual(persistent, [i for i in ids if i in persistent])

    def newest_first(self, rows=None):
        return [r['id'] for r in reversed(rows or self.rows)]


class TestDeletedWhilePaging(LiveTest):
    """Sequentially (OS_VBS_PAGE_CONCURRENCY=1) and with the default."""

    SEQUENTIAL = {'OS_VBS_PAGE_CONCURRENCY': '1'}

    def check_marker_row_deleted(self, env):
        order = self.newest_first()
        # The last row of the first page, deleted before the second page.
        self.hooks[1] = lambda: self.delete({order[PAGE - 1]})
        ids = self.ids(env=env)
        self.assertKept(ids, order)
        self.assertEqual(order, ids)  # it was printed before it went

    def test_marker_row_deleted(self):
        self.check_marker_row_deleted(self.SEQUENTIAL)

    def test_marker_row_deleted_default_settings(self):
        self.check_marker_row_deleted(None)

    def test_last_rows_of_the_page_deleted(self):
        for env in (self.SEQUENTIAL, None):
            self.reset()
            order = self.newest_first()
            self.hooks[1] = lambda o=order: self.delete(set(o[PAGE - 4:PAGE]))
            self.assertKept(self.ids(env=env), order)
            self.assertEqual(set(order[PAGE - 4:PAGE]), self.deleted)

    def test_middle_of_later_pages_deleted(self):
        order = self.newest_first()
        self.hooks[1] = lambda: self.delete({order[15], order[33]})
        self.hooks[3] = lambda: self.delete({order[52]})
        ids = self.ids()
        self.assertKept(ids, order)

    def test_whole_page_deleted(self):
        order = self.newest_first()
        self.hooks[1] = lambda: self.delete(set(order[:PAGE]))
        rc, out, err = self.listing(env=self.SEQUENTIAL)
        self.assertEqual(1, rc)
        self.assertEqual('', out)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertIn('VBS backups were deleted while listing', err)
        self.assertIn(order[PAGE - 1], err)

    def check_created_at_the_head_and_in_the_middle(self, env, sure):
        """``sure``: the middle row's page is asked for after it is made.

        One page at a time that holds; with pages in flight together the
        page may have reached the server first, and a row created meanwhile
        may or may not be listed, but never out of place.
        """
        order = self.newest_first()
        made = {}
        self.hooks[1] = lambda: made.setdefault(
            'head', self.create(len(self.rows) - 1))
        # Oldest-first index 25 sits at newest-first position 34, on a
        # page not read yet.
        self.hooks[2] = lambda: made.setdefault('middle', self.create(25))
        ids = self.ids(env=env)
        self.assertKept(ids, order)
        self.assertNotIn(made['head']['id'], ids)
        if sure or made['middle']['id'] in ids:
            self.assertEqual(ids.index(order[34]) - 1,
                             ids.index(made['middle']['id']))

    def test_created_at_the_head_and_in_the_middle(self):
        self.check_created_at_the_head_and_in_the_middle(self.SEQUENTIAL,
                                                         sure=True)

    def test_created_default_settings(self):
        self.check_created_at_the_head_and_in_the_middle(None, sure=False)

    def test_offset_limit_sort_and_admin_scope(self):
        def everyone(rows, admin_rows):
            both = sorted(rows + admin_rows, key=lambda r: r['created_at'],
                          reverse=True)
            return [r['id'] for r in both]
        cases = [
            (['--offset', '7'], lambda r, a: self.newest_first(r)[7:],
             'member'),
            (['--limit', '35'], lambda r, a: self.newest_first(r),
             'member'),
            (['--sort', 'created_at:asc'], lambda r, a: [b['id'] for b in r],
             'member'),
            (['--all-projects'], everyone, 'admin'),
        ]
        for args, expected, user in cases:
            for env in (self.SEQUENTIAL, None):
                self.reset()
                order = expected(self.rows, self.admin_rows)
                self.hooks = {1: lambda o=order: self.delete(
                    {o[PAGE - 1], o[PAGE + 3]})}
                ids = self.ids(*args, user=user, env=env)
                self.assertKept(ids, order, limited='--limit' in args)
                if '--limit' in args:
                    self.assertEqual(35, len(ids))


@st.composite
def changes(draw):
    """Deletes and creates before random list requests of one listing."""
    return draw(st.lists(st.tuples(
        st.integers(min_value=1, max_value=7),
        st.sampled_from(['delete', 'create']),
        st.integers(min_value=0, max_value=TOTAL - 1),
        st.integers(min_value=1, max_value=3)), max_size=6))


class TestRandomInterleavings(LiveTest):

    def check(self, events, env):
        self.reset()
        order = self.newest_first()
        for n, kind, at, many in events:
            if kind == 'delete':
                def change(ids=order[at:at + many]):
                    self.delete(set(ids) - self.deleted)
            else:
                def change(at=at, many=many):
                    for _ in range(many):
                        self.create(at)
            previous = self.hooks.get(n)
            self.hooks[n] = (change if previous is None else
                             (lambda a=previous, b=change: (a(), b())))
        rc, out, err = self.listing(env=env)
        if rc:
            # Only a whole page of deletions may stop it, in one line.
            self.assertEqual(1, rc, err)
            self.assertEqual('', out)
            self.assertIn('VBS backups were deleted while listing', err)
            self.assertEqual(1, len(err.splitlines()))
            self.assertGreaterEqual(len(self.deleted), PAGE, err)
            return
        self.assertKept(out.split(), order)

    @hypothesis.settings(max_examples=6, deadline=None, derandomize=True,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(changes())
    def test_sequential(self, events):
        self.check(events, {'OS_VBS_PAGE_CONCURRENCY': '1'})

    @hypothesis.settings(max_examples=6, deadline=None, derandomize=True,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(changes())
    def test_default_settings(self, events):
        self.check(events, None)
