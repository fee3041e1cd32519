"""client.backups.plan_prune, prune and delete against a Cinder-like fake:
what is read, the delete order, and every failure path."""

import _thread
import threading
import types

import fixtures

from vbsclient.api.retention import apply
from vbsclient import exceptions

from tests.unit.api.retention import fake_cinder
from tests.unit import base

PROJECT = fake_cinder.PROJECT
OTHER = 'ee6b0f3ac7cc4bd8a5b7a4b1b8f0b6f1'
VOL_A = '11111111-1111-4111-8111-111111111111'
VOL_B = '22222222-2222-4222-8222-222222222222'


def row(backup_id, day, volume, inc=False, status='available', **fields):
    data = {'id': backup_id, 'name': 'n-' + backup_id, 'status': status,
            'volume_id': volume, 'is_incremental': inc,
            'created_at': '2026-11-%02dT01:00:00.000000' % day,
            'updated_at': '2026-11-%02dT01:05:00.000000' % day}
    data.update(fields)
    return data


def base_now():
    import datetime
    return datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


def cloud():
    """Rows, newest first, and parents.

    Volume A: f1 <- i2 <- i3, f4 <- i5; volume B: f8; f6 <- i7.
    Keep-last 1 keeps i5 (f4 pinned) and i7 (f6 pinned).
    """
    rows = [
        row('i7', 20, VOL_B, inc=True), row('i5', 19, VOL_A, inc=True),
        row('f6', 18, VOL_B), row('f4', 17, VOL_A),
        row('i3', 16, VOL_A, inc=True), row('i2', 15, VOL_A, inc=True),
        row('f8', 14, VOL_B), row('f1', 13, VOL_A),
    ]
    parents = {'i2': 'f1', 'i3': 'i2', 'i5': 'f4', 'i7': 'f6'}
    return rows, parents


class FakeClock:
    """time for the deleter: sleeping moves the clock, nothing waits."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


class PruneTest(base.TestCase):

    concurrency = 1

    def setUp(self):
        super().setUp()
        self.serve_versions()
        self.clock = FakeClock()
        self.useFixture(fixtures.MonkeyPatch(
            'vbsclient.api.retention.delete.time',
            types.SimpleNamespace(monotonic=self.clock.monotonic,
                                  sleep=self.clock.sleep)))
        rows, parents = cloud()
        self.cinder = fake_cinder.FakeCinder(self.requests_mock, rows,
                                             parents)
        self.backups = self.client(
            page_concurrency=self.concurrency).backups

    def plan(self, **kwargs):
        kwargs.setdefault('keep_last', 1)
        return self.backups.plan_prune(**kwargs)

    def results(self, decisions):
        return {d.backup.id: d.result for d in decisions
                if d.action == 'remove'}

    def assert_children_gone_first(self):
        events = self.cinder.events
        for child, parent in self.cinder.parents.items():
            if ('DELETE', parent) in events and ('DELETE', child) in events:
                self.assertLess(events.index(('GONE', child)),
                                events.index(('DELETE', parent)),
                                '%s sent before %s was gone: %s'
                                % (parent, child, events))


PLAN = [('i5', 'keep', 'last 1'), ('f4', 'keep', 'parent of i5'),
        ('i3', 'remove', 'no rule'), ('i2', 'remove', 'no rule'),
        ('f1', 'remove', 'no rule'), ('i7', 'keep', 'last 1'),
        ('f6', 'keep', 'parent of i7'), ('f8', 'remove', 'no rule')]


def rows_of(decisions):
    return [(d.backup.id, d.action, d.reason_text()) for d in decisions]


class TestPlanReads(PruneTest):

    def test_no_filter_one_listing_serves_both(self):
        self.assertEqual(PLAN, rows_of(self.plan()))
        [listing] = self.cinder.listings()
        # Sorted by volume: each volume is planned as it is read.
        self.assertEqual('volume_id:asc,created_at:desc', listing['sort'])

    def test_lazy_plans_volume_by_volume(self):
        decisions = self.plan(lazy=True)
        self.assertEqual([], self.cinder.listings())
        self.assertEqual(PLAN, rows_of(decisions))

    def test_volumes_listed_apart_are_refused(self):
        # A server that ignores the sort: the volumes come interleaved.
        listing = self.cinder.listing.listing

        def unsorted(query):
            return listing({k: v for k, v in query.items() if k != 'sort'})
        self.cinder.listing.listing = unsorted
        error = self.assertRaises(exceptions.BadResponse, self.plan)
        self.assertIn('listed backups of volume %s apart' % VOL_B,
                      str(error))

    def test_volume_alone_one_listing(self):
        decisions = self.plan(volume=VOL_B)
        self.assertEqual(PLAN[5:], rows_of(decisions))
        self.assertEqual([VOL_B], [q.get('volume_id')
                                   for q in self.cinder.listings()])

    def test_a_filter_narrows_removals_never_pins(self):
        # Only i3 and f4 are selected; f4 is still pinned by i5, which is
        # not selected, and i3's parent is not in the plan at all.
        decisions = self.plan(name_like='n-', created_before=(
            '2026-11-17T01:00:01'), created_after='2026-11-16')
        self.assertEqual([('f4', 'keep', 'last 1, parent of i5'),
                          ('i3', 'remove', 'no rule')], rows_of(decisions))
        # The selection (an ordered search, then its window), then the
        # one volume it concerns, unfiltered.
        *selection, volume = self.cinder.listings()
        self.assertEqual({'n-'}, {q['name~'] for q in selection})
        self.assertEqual({'volume_id': VOL_A}, volume)

    def test_window_ages_count_back_from_now(self):
        import datetime
        now = datetime.datetime(2026, 11, 20, 1, 0,
                                tzinfo=datetime.timezone.utc)
        by_age = rows_of(self.plan(now=now, created_before='3d',
                                   created_after='4d'))
        by_time = rows_of(self.plan(created_before='2026-11-17T01:00:00Z',
                                    created_after='2026-11-16T01:00:00Z'))
        self.assertEqual([('i3', 'keep', 'last 1')], by_time)
        self.assertEqual(by_time, by_age)

    def test_plans_keep_the_fields_they_use_decoded(self):
        self.cinder.by_id('i7').update(
            description='{"DESC": "nightly", "INC": 1}',
            is_incremental=False, size=10, container='c')
        [i7] = [d.backup for d in self.plan() if d.backup.id == 'i7']
        self.assertIs(True, i7.is_incremental)
        self.assertIsNone(i7.raw('description'))
        self.assertIsNone(i7.size)
        self.assertIsNone(i7.raw('data_timestamp'))
        self.assertEqual('2026-11-20T01:05:00.000000', i7.raw('updated_at'))

    def test_empty_policy_refused_before_any_request(self):
        error = self.assertRaises(exceptions.EmptyPolicy,
                                  self.backups.plan_prune, keep_last=0)
        self.assertIn('keep_last', str(error))
        self.assertEqual([], self.requests_mock.request_history)

    def test_status_is_not_a_prune_filter(self):
        self.assertRaises(TypeError, self.backups.plan_prune, keep_last=1,
                          status='available')
        self.assertEqual([], self.requests_mock.request_history)

    def test_plan_sends_no_delete(self):
        self.plan(keep_within='1d')
        self.assertEqual(['GET'], sorted({
            r.method for r in self.requests_mock.request_history}))


class TestApply(PruneTest):

    def test_removals_children_first_each_confirmed_gone(self):
        # The fake moves a parent's updated_at when a child goes, as
        # Cinder counts its dependents: no change since planning.
        decisions = self.backups.prune(self.plan())
        self.assertEqual({'i3': 'removed', 'i2': 'removed',
                          'f1': 'removed', 'f8': 'removed'},
                         self.results(decisions))
        self.assertEqual(['f4', 'f6', 'i5', 'i7'], self.cinder.ids())
        self.assertEqual(['i3', 'i2', 'f1'],
                         [d for d in self.cinder.deletes() if d != 'f8'])
        self.assert_children_gone_first()
        # Kept and skipped rows carry no result.
        self.assertEqual({None}, {d.result for d in decisions
                                  if d.action != 'remove'})

    def test_rerun_removes_nothing(self):
        self.backups.prune(self.plan())
        again = self.plan()
        self.assertEqual([], [d for d in again if d.action == 'remove'])

    def test_progress_counts_removals(self):
        seen = []
        self.backups.prune(self.plan(),
                           progress=lambda *args: seen.append(args))
        self.assertEqual([(1, 4), (2, 4), (3, 4), (4, 4)], seen)

    def test_changed_since_planning_is_left_with_its_ancestors(self):
        decisions = self.plan()
        # A new status; and a new updated_at alone (a rename, a new child).
        self.cinder.changes['i2'] = 'restoring'
        self.cinder.changes['f8'] = 'available'
        results = self.results(self.backups.prune(decisions))
        self.assertEqual('failed: changed since planning (status restoring)',
                         results['i2'])
        self.assertEqual('failed: child i2 was not removed', results['f1'])
        self.assertEqual('removed', results['i3'])
        self.assertEqual('failed: changed since planning (status available)',
                         results['f8'])
        self.assertEqual(['i3'], self.cinder.deletes())

    def test_dependents_made_after_planning_fail_it_and_ancestors(self):
        decisions = self.plan()
        # An incremental made after planning whose parent is i3.
        self.cinder.rows.append(row('late', 21, VOL_A, inc=True))
        self.cinder.parents['late'] = 'i3'
        results = self.results(self.backups.prune(decisions))
        dependents = 'failed: has dependents made after planning'
        self.assertEqual({'i3': dependents, 'i2': dependents,
                          'f1': dependents, 'f8': 'removed'}, results)
        self.assertEqual(['i3', 'f8'], self.cinder.deletes())

    def test_delete_404_then_gone_is_removed(self):
        def vanish(backup_id):
            self.cinder.rows.remove(self.cinder.by_id(backup_id))
        self.cinder.on_delete = vanish
        results = self.results(self.backups.prune(self.plan(volume=VOL_B)))
        self.assertEqual({'f8': 'removed'}, results)

    def test_no_backup_service_stops_at_the_first_delete(self):
        decisions = self.plan()
        before = self.cinder.ids()
        self.cinder.service_down = True
        error = self.assertRaises(exceptions.BackupServiceUnavailable,
                                  self.backups.prune, decisions)
        self.assertEqual(1, len(self.cinder.deletes()))
        self.assertEqual(before, self.cinder.ids())
        self.assertEqual('i3', error.backup_id)
        self.assertIn('no backup service', str(error))
        self.assertIn('Service cinder-backup could not be found', str(error))
        self.assertEqual(1, len(str(error).splitlines()))
        self.assertEqual({'i3': apply.NO_SERVICE, 'i2': apply.NOT_SENT,
                          'f1': apply.NOT_SENT, 'f8': apply.NOT_SENT},
                         self.results(error.decisions))

    def test_error_deleting_fails_with_that_status(self):
        decisions = self.plan(volume=VOL_B)
        self.cinder.outcome['f8'] = 'error_deleting'
        results = self.results(self.backups.prune(decisions))
        self.assertEqual({'f8': 'failed: status error_deleting'}, results)

    def test_stuck_deleting_fails_after_the_timeout(self):
        decisions = self.plan(volume=VOL_B)
        self.cinder.outcome['f8'] = 'stuck'
        results = self.results(self.backups.prune(decisions))
        self.assertEqual({'f8': 'failed: still deleting after 60 s'},
                         results)
        self.assertEqual(60.0, self.clock.now)

    def test_ctrl_c_sends_no_new_delete(self):
        decisions = self.plan()
        runs = []
        start = apply.Run.__init__

        def capture(run, *args, **kwargs):
            start(run, *args, **kwargs)
            runs.append(run)
        self.useFixture(fixtures.MonkeyPatch(
            'vbsclient.api.retention.apply.Run.__init__', capture))

        def interrupt(backup_id):
            _thread.interrupt_main()
            # The caller's thread takes it between two waits.
            self.assertTrue(runs[0].stop.wait(10))
        self.cinder.on_delete = interrupt
        error = self.assertRaises(KeyboardInterrupt, self.backups.prune,
                                  decisions)
        self.assertEqual(['i3'], self.cinder.deletes())
        self.assertEqual({'i3': apply.UNCONFIRMED, 'i2': apply.NOT_SENT,
                          'f1': apply.NOT_SENT, 'f8': apply.NOT_SENT},
                         self.results(error.decisions))


class TestOtherProject(PruneTest):
    """An admin's scope: another project's backup is asked for children.

    Cinder checks dependents in the token's project only.
    """

    def client(self, session=None, **kwargs):
        # A catalog session knows the token's project.
        return super().client(self.catalog_session(
            [('block-storage', base.ENDPOINT)]), **kwargs)

    def setUp(self):
        super().setUp()
        for data in self.cinder.rows:
            data[PROJECT] = OTHER if data['volume_id'] == VOL_A else (
                base.PROJECT_ID)

    def children_asked(self):
        return [q['parent_id'] for q in self.cinder.listings()
                if 'parent_id' in q]

    def test_other_projects_backups_are_asked_for_children(self):
        results = self.results(self.backups.prune(self.plan(
            all_projects=True)))
        self.assertEqual(['i3', 'i2', 'f1'], self.children_asked())
        self.assertEqual({'removed'}, set(results.values()))
        for query in self.cinder.listings():
            if 'parent_id' in query:
                self.assertEqual('1', query['all_tenants'])

    def test_a_child_the_plan_never_saw_keeps_it(self):
        decisions = self.plan(all_projects=True)
        # A child in a project the admin's listing did not show.
        self.cinder.parents['hidden'] = 'f1'
        self.cinder.rows.append(row('hidden', 22, VOL_A, inc=True,
                                    **{PROJECT: 'third'}))
        self.cinder.listing.backups = [r for r in self.cinder.rows
                                       if r['id'] != 'hidden']
        results = self.results(self.backups.prune(decisions))
        self.assertEqual('failed: has dependents made after planning',
                         results['f1'])
        self.assertNotIn('f1', self.cinder.deletes())

    def test_a_member_never_sends_parent_id(self):
        for data in self.cinder.rows:
            data.pop(PROJECT)
        self.backups.prune(self.plan())
        self.assertEqual([], self.children_asked())


class FakeClient:
    """What apply.Run asks of a client, with no HTTP.

    requests-mock serializes requests: it cannot show them in flight
    together.
    """

    microversion = '3.64'
    project_id = base.PROJECT_ID
    timeout = 60.0

    def __init__(self, page_concurrency):
        self.page_concurrency = page_concurrency


class TestConcurrentChains(base.TestCase):
    """Independent chains at once, never more than page_concurrency."""

    def decisions(self):
        from vbsclient.api.retention import plan
        from vbsclient.api.retention import policy
        from vbsclient.backup import Backup
        rows, _parents = cloud()
        # A third volume with one removal: three independent chains.
        rows += [row('c2', 12, 'vol-c'), row('c1', 11, 'vol-c')]
        return plan.plan([Backup(r) for r in rows],
                         policy.KeepPolicy(keep_last=1),
                         base_now())

    def run_with(self, concurrency, on_delete):
        planned = {}
        lock = threading.Lock()
        self.in_flight = 0
        self.most = 0

        def read(client, backup_id):
            return None if planned.get(backup_id) else self.by_id[backup_id]

        def delete(client, backup, wait=True, stopped=None):
            with lock:
                self.in_flight += 1
                self.most = max(self.most, self.in_flight)
            try:
                on_delete(backup.id)
            finally:
                with lock:
                    self.in_flight -= 1
            planned[backup.id] = True
            return True
        self.useFixture(fixtures.MonkeyPatch(
            'vbsclient.api.retention.apply.delete_mod',
            types.SimpleNamespace(read=read, delete=delete)))
        decisions = self.decisions()
        self.by_id = {d.backup.id: d.backup for d in decisions}
        return apply.run(FakeClient(concurrency), decisions)

    def test_independent_chains_run_at_once(self):
        met = threading.Barrier(3, timeout=10)

        def meet(backup_id):
            if backup_id in ('i3', 'f8', 'c1'):
                met.wait()
        done = self.run_with(3, meet)
        self.assertEqual(5, sum(d.result == 'removed' for d in done))
        self.assertEqual(3, self.most)

    def test_never_more_than_the_concurrency(self):
        seen = []
        done = self.run_with(2, seen.append)
        self.assertEqual(5, sum(d.result == 'removed' for d in done))
        self.assertLessEqual(self.most, 2)
        self.assertLess(seen.index('i2'), seen.index('f1'))

    def test_a_bug_in_a_thread_is_raised_not_hidden(self):
        def broken(backup_id):
            raise ZeroDivisionError(backup_id)
        self.assertRaises(ZeroDivisionError, self.run_with, 2, broken)


class TestDeleteOne(PruneTest):

    def test_delete_waits_until_gone(self):
        self.backups.delete('f8')
        self.assertIsNone(self.cinder.by_id('f8'))
        self.assertEqual(['GET', 'DELETE', 'GET', 'GET'],
                         [e[0] for e in self.cinder.events
                          if e[0] != 'GONE'])

    def test_delete_without_wait(self):
        self.backups.delete('f8', wait=False)
        self.assertEqual('deleting', self.cinder.by_id('f8')['status'])

    def test_delete_missing(self):
        self.assertRaises(exceptions.NotFound, self.backups.delete, 'nope')
        self.assertEqual([], self.cinder.deletes())

    def test_delete_with_children(self):
        error = self.assertRaises(exceptions.HasDependents,
                                  self.backups.delete, 'f1')
        self.assertEqual('f1', error.backup_id)
        self.assertIsNotNone(self.cinder.by_id('f1'))
