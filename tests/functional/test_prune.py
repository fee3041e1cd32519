"""``vbs backup prune`` on the real Keystone, Cinder and cinder-backup.

Each test seeds deletable backups on a volume of its own and prunes only
that volume (``--volume``): the shared cloud's other backups are never
touched. What was deleted is read in Cinder's database, the order in
cinder-backup's log, the requests in cinder-api's.
"""

import datetime
import json
import os
import re
import signal
import subprocess
import time
import uuid

import fixtures

from vbsclient import client as client_mod
from vbsclient import config

from tests.functional import base
from tests import shellrun

PRUNE = ('vbs', 'backup', 'prune')


def at(day, hour):
    return datetime.datetime(2025, 6, day, hour, 0, 0)


class PruneTest(base.BackupServiceTest):

    def setUp(self):
        super().setUp()
        self.volume = str(uuid.uuid4())

    def seed(self, n=1, **overrides):
        overrides.setdefault('volume_id', self.volume)
        return self.cloud.seed_deletable(n, **overrides)

    def seed_at(self, when, **overrides):
        """One deletable backup created (and taken) at ``when``."""
        return self.seed(created_at=when, updated_at=when,
                         data_timestamp=when, **overrides)[0]

    def prune(self, *args, user='member', volume=True):
        if volume:
            args = ('--volume', self.volume) + args
        return self.openstack(*(PRUNE + args), user=user)

    def table(self, *args, **kwargs):
        rc, out, err = self.prune('-f', 'json', *args, **kwargs)
        self.assertEqual(0, rc, err)
        return json.loads(out)

    def deletes(self, since):
        return [r for r in self.cloud.cinder_requests(since)
                if r['method'] == 'DELETE']

    def assert_children_first(self, since, pairs, finished):
        """Each (child, parent): the parent's deletion started after.

        After the child's finished, in cinder-backup's log.
        """
        log = self.cloud.backup_deletions(since, finished=finished)
        for child, parent in pairs:
            self.assertLess(log.index(('finished', child)),
                            log.index(('started', parent)), log)


class TestPlanApplyRerun(PruneTest):

    def test_plan_is_the_expectation_apply_deletes_exactly_it(self):
        # Sunday 2025-06-01 (ISO week 22), then Monday to Wednesday (23).
        a0 = self.seed_at(at(1, 10), name='a0')
        a1 = self.seed_at(at(2, 10), name='a1', parent_id=a0['id'])
        a2 = self.seed_at(at(3, 10), name='a2', parent_id=a1['id'])
        b0 = self.seed_at(at(4, 10), name='b0')
        b1 = self.seed_at(at(4, 12), name='b1', parent_id=b0['id'])
        ids = {r['id'] for r in (a0, a1, a2, b0, b1)}
        policy = ('--keep-daily', '1', '--keep-weekly', '2')
        since = self.cloud.cinder_log_offset()
        rows = self.table(*policy)
        self.assertEqual(
            [(b1['id'], 'keep', 'daily 2025-06-04, weekly 2025-W23', True),
             (b0['id'], 'keep', 'parent of %s' % b1['id'][:8], False),
             (a2['id'], 'remove', 'no rule', True),
             (a1['id'], 'remove', 'no rule', True),
             (a0['id'], 'keep', 'weekly 2025-W22', False)],
            [(r['ID'], r['Action'], r['Reason'], r['Incremental'])
             for r in rows])
        self.assertEqual('2025-06-04T12:00:00.000000', rows[0]['Created At'])
        # A plan deletes nothing, and reads one listing.
        self.assertEqual([], self.deletes(since))
        self.assertEqual(1, len(self.list_requests(since)))
        self.assertEqual(ids, self.cloud.live_backups(ids))

        since = self.cloud.cinder_log_offset()
        log_since = self.cloud.backup_log_offset()
        rows = self.table(*policy + ('--apply',))
        self.assertEqual({a2['id']: 'removed', a1['id']: 'removed',
                          a0['id']: '', b0['id']: '', b1['id']: ''},
                         {r['ID']: r['Result'] for r in rows})
        self.assertEqual({a0['id'], b0['id'], b1['id']},
                         self.cloud.live_backups(ids))
        self.assertEqual(2, len(self.deletes(since)))
        self.assert_children_first(log_since, [(a2['id'], a1['id'])],
                                   [a1['id']])

        rows = self.table(*policy)
        self.assertEqual(['keep', 'keep', 'keep'],
                         [r['Action'] for r in rows])

    def test_a_chain_of_15_incrementals_in_one_run(self):
        chain = self.cloud.seed_chain(16, volume_id=self.volume)
        newest = self.seed()[0]
        log_since = self.cloud.backup_log_offset()
        rc, out, err = self.prune('--keep-last', '1', '--apply', '-f',
                                  'value', '-c', 'ID', '-c', 'Result')
        self.assertEqual(0, rc, err + out)
        self.assertEqual(16, out.count(' removed\n'), out)
        ids = [r['id'] for r in chain]
        self.assertEqual({newest['id']},
                         self.cloud.live_backups(ids + [newest['id']]))
        self.assert_children_first(
            log_since, [(ids[i + 1], ids[i]) for i in range(15)], [ids[0]])

    def test_remove_errors(self):
        error = self.seed(status='error')[0]
        self.seed()
        rows = self.table('--keep-last', '1')
        self.assertEqual(('skip', 'error (use --remove-errors)'),
                         (rows[-1]['Action'], rows[-1]['Reason']))
        rows = self.table('--keep-last', '1', '--remove-errors', '--apply')
        self.assertEqual((error['id'], 'remove', 'status error', 'removed'),
                         (rows[-1]['ID'], rows[-1]['Action'],
                          rows[-1]['Reason'], rows[-1]['Result']))
        self.assertEqual(set(), self.cloud.live_backups([error['id']]))


class TestFailures(PruneTest):

    def test_backup_service_down_one_line_nothing_deleted(self):
        ids = [r['id'] for r in self.seed(3)]
        self.addCleanup(self.cloud.start_backup_service)
        self.cloud.backup_service_down()
        since = self.cloud.cinder_log_offset()
        # One request at a time: two independent removals would otherwise
        # both be in flight when the first 404 comes.
        rc, out, err = self.openstack(
            '--os-vbs-page-concurrency', '1', *PRUNE, '--volume',
            self.volume, '--keep-last', '1', '--apply', '-f', 'value', '-c',
            'ID', '-c', 'Result')
        self.assertEqual(1, rc, err)
        line = self.assertOneLine(err)
        self.assertIn('no backup service', line)
        self.assertIn('Service cinder-backup could not be found', line)
        self.assertEqual(set(ids), self.cloud.live_backups(ids))
        self.assertEqual(1, len(self.deletes(since)))
        self.assertIn('%s failed: no backup service' % ids[1], out)
        self.assertIn('%s not sent: the run stopped' % ids[0], out)

    def test_a_child_made_after_planning_pins_its_parent(self):
        old, new = self.seed(2)
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_CLIENT_CONFIG_FILE', base.clouds_file(self.cloud)))
        vbs = client_mod.Client.from_cloud('vbs-local')
        plan = vbs.backups.plan_prune(keep_last=1, volume=self.volume)
        self.assertEqual([new['id'], old['id']],
                         [d.backup.id for d in plan])
        self.assertEqual(['keep', 'remove'], [d.action for d in plan])
        child = self.seed(parent_id=old['id'])[0]
        done = vbs.backups.prune(plan)
        self.assertEqual('failed: has dependents made after planning',
                         done[1].result)
        ids = [old['id'], new['id'], child['id']]
        self.assertEqual(set(ids), self.cloud.live_backups(ids))


class TestCtrlC(PruneTest):
    """Ctrl-C (SIGINT) to a real ``prune --apply`` process."""

    def interrupt(self, ids, newest, after):
        """Prune keeping ``newest``; SIGINT once ``after`` DELETEs answered.

        Returns the removals' results ({id: text}) once checked against
        the exit, the last line, Cinder's log and its database.
        """
        since = self.cloud.cinder_log_offset()
        env = {k: v for k, v in os.environ.items() if k not in self.CLEAN_ENV}
        env['OS_CLIENT_CONFIG_FILE'] = base.clouds_file(self.cloud)
        proc = shellrun.popen_interruptible(
            [shellrun.openstack_command(), '--os-cloud', 'vbs-local'] +
            list(PRUNE) + ['--volume', self.volume, '--keep-last', '1',
                           '--apply', '-f', 'value', '-c', 'ID', '-c',
                           'Result'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            stdin=subprocess.DEVNULL, env=env)
        self.addCleanup(proc.kill)
        deadline = time.monotonic() + 120
        while len(self.deletes(since)) < after:
            self.assertIsNone(proc.poll(), 'prune ended before %d DELETEs'
                              % after)
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        answered = len(self.deletes(since))
        out, err = proc.communicate(timeout=60)
        self.assertEqual(130, proc.returncode, err)
        match = re.fullmatch(r'interrupted: (\d+) of %d removed; no backup '
                             r'was deleted after Ctrl-C' % len(ids),
                             self.assertOneLine(err))
        self.assertIsNotNone(match, err)
        results = dict((line.split(' ', 1) + [''])[:2]
                       for line in out.splitlines())
        self.assertEqual(set(ids) | {newest}, set(results))
        gone = {i for i in ids if results[i] == 'removed'}
        unsure = {i for i in ids if results[i].startswith('not confirmed')}
        unsent = {i for i in ids if results[i] == 'not sent: the run stopped'}
        self.assertEqual(int(match.group(1)), len(gone))
        self.assertEqual(set(ids), gone | unsure | unsent, results)
        # Each DELETE sent is a removal reported or one left in flight
        # (at most one a worker); none is sent after Ctrl-C but those it
        # caught in flight.
        sent = len(self.deletes(since))
        self.assertEqual(len(gone) + len(unsure), sent)
        workers = config.DEFAULT_PAGE_CONCURRENCY
        self.assertLessEqual(len(unsure), workers)
        self.assertLessEqual(sent, answered + workers)
        # What was reported removed is gone; what was not sent is there.
        self.cloud.wait_backups_deleted(gone)
        live = self.cloud.live_backups(ids + [newest])
        self.assertEqual(set(), live & gone)
        self.assertLessEqual(unsent | {newest}, live)
        return results

    def test_mid_chain_no_parent_after_an_unconfirmed_child(self):
        # One backup at a time, each child confirmed gone before its
        # parent is asked for: after 2 DELETEs the first is removed.
        ids = [r['id'] for r in self.cloud.seed_chain(
            12, volume_id=self.volume)]
        results = self.interrupt(ids, self.seed()[0]['id'], after=2)
        newest_first = [results[i] for i in reversed(ids)]
        self.assertEqual('removed', newest_first[0])
        # The removed are the newest; then at most one unconfirmed.
        kept = newest_first[newest_first.count('removed'):]
        self.assertTrue(all(r == 'not sent: the run stopped'
                            for r in kept[1:]), newest_first)

    def test_independent_backups_at_the_default_concurrency(self):
        ids = [r['id'] for r in self.seed(24)]
        self.interrupt(ids, self.seed()[0]['id'], after=4)


class TestScope(PruneTest):

    def test_a_member_sees_and_deletes_only_its_own(self):
        mine = self.seed(2)
        admins = self.seed(2, project_id=self.cloud.admin.project_id)
        since = self.cloud.cinder_log_offset()
        rows = self.table('--keep-last', '1', '--apply')
        self.assertEqual([(mine[1]['id'], ''), (mine[0]['id'], 'removed')],
                         [(r['ID'], r['Result']) for r in rows])
        ids = [r['id'] for r in mine + admins]
        self.assertEqual({mine[1]['id']} | {r['id'] for r in admins},
                         self.cloud.live_backups(ids))
        # A member never sends parent_id (Cinder refuses it, or drops it).
        self.assertEqual([], [r for r in self.cloud.cinder_requests(since)
                              if 'parent_id' in r['query']])

    def test_admin_project_apply_keeps_a_parent_the_filter_leaves(self):
        # sel-F0 (full), sel-P (full) <- other-C (incremental), sel-F2.
        sel = 'sel-%s' % os.urandom(4).hex()
        f0 = self.seed(name=sel)[0]
        parent = self.seed(name=sel)[0]
        child = self.seed(name='other', parent_id=parent['id'])[0]
        f2 = self.seed(name=sel)[0]
        since = self.cloud.cinder_log_offset()
        rows = self.table('--project', self.cloud.member.project_id,
                          '--name', sel, '--keep-last', '1', '--apply',
                          user='admin')
        self.assertEqual(
            [(f2['id'], 'keep', 'last 1', ''),
             (parent['id'], 'keep', 'parent of %s' % child['id'][:8], ''),
             (f0['id'], 'remove', 'no rule', 'removed')],
            [(r['ID'], r['Action'], r['Reason'], r['Result'])
             for r in rows])
        self.assertEqual(self.cloud.member.project_id,
                         rows[0]['Project ID'])
        ids = [f0['id'], parent['id'], child['id'], f2['id']]
        self.assertEqual(set(ids[1:]), self.cloud.live_backups(ids))
        # Another project's backup: its children asked for first.
        asked = [dict(r['params']) for r in self.cloud.cinder_requests(
            since) if 'parent_id' in r['query']]
        self.assertEqual([f0['id']], [p['parent_id'] for p in asked])
        self.assertEqual(['1'], [p['all_tenants'] for p in asked])
