"""``vbs backup prune`` through the real shell on a Cinder-like fake: the
plan's table in every formatter, --apply's results and exit status, and
bad input refused in one line before any request."""

import _thread
import io
import json
import types

import fixtures
import testtools

from vbsclient.api.retention import apply
from vbsclient.osc.v3 import progress

from tests.unit.api.retention import fake_cinder
from tests.unit.api.retention import test_apply as cases
from tests.unit.osc import test_shell

PRUNE = ('vbs', 'backup', 'prune')


class PruneShellTest(test_shell.ShellTest):

    def setUp(self):
        super().setUp()
        self.clock = cases.FakeClock()
        self.useFixture(fixtures.MonkeyPatch(
            'vbsclient.api.retention.delete.time',
            types.SimpleNamespace(monotonic=self.clock.monotonic,
                                  sleep=self.clock.sleep)))
        rows, parents = cases.cloud()
        rows.append(cases.row('e9', 10, cases.VOL_B, status='error'))
        self.cinder = fake_cinder.FakeCinder(self.requests_mock, rows,
                                             parents)

    def prune(self, *args):
        return self.run_shell(*(PRUNE + args))

    def table(self, *args):
        rc, out, err = self.prune('-f', 'json', *args)
        self.assertEqual(0, rc, err)
        return json.loads(out)


class TestPlan(PruneShellTest):

    def test_rows_by_volume_newest_first_with_reasons(self):
        rows = self.table('--keep-last', '1')
        self.assertEqual(
            ['Action', 'Reason', 'ID', 'Name', 'Volume ID', 'Created At',
             'Incremental', 'Status'], list(rows[0]))
        self.assertEqual(
            [(i, a, r) for i, a, r in cases.PLAN]
            + [('e9', 'skip', 'error (use --remove-errors)')],
            [(r['ID'], r['Action'], r['Reason']) for r in rows])
        self.assertEqual('2026-11-19T01:00:00.000000', rows[0]['Created At'])
        self.assertIs(True, rows[0]['Incremental'])
        self.assertEqual([], self.cinder.deletes())

    def test_remove_errors(self):
        rows = self.table('--keep-last', '1', '--remove-errors')
        self.assertEqual(('remove', 'status error'),
                         (rows[-1]['Action'], rows[-1]['Reason']))
        self.assertEqual([], self.cinder.deletes())

    def test_other_formatters(self):
        rc, out, err = self.prune('--keep-last', '1', '--volume',
                                  cases.VOL_B, '-f', 'value', '-c', 'ID',
                                  '-c', 'Action')
        self.assertEqual(0, rc, err)
        self.assertEqual('keep i7\nkeep f6\nremove f8\nskip e9\n', out)
        rc, out, err = self.prune('--keep-last', '1', '--volume',
                                  cases.VOL_B, '-f', 'csv', '-c', 'ID',
                                  '--sort-column', 'ID')
        self.assertEqual('"ID"\n"e9"\n"f6"\n"f8"\n"i7"\n',
                         out.replace('\r', ''))
        rc, out, err = self.prune('--keep-daily', '1', '--volume',
                                  cases.VOL_B)
        self.assertEqual(0, rc, err)
        self.assertIn('| keep   | daily 2026-11-20            | i7 |', out)
        self.assertIn('| skip   | error (use --remove-errors) | e9 |', out)
        self.assertNotIn('None', out)
        rc, out, err = self.prune('--keep-last', '1', '-f', 'yaml')
        self.assertIn('Action: remove', out)

    def test_scope_adds_the_project(self):
        rows = self.table('--keep-last', '1', '--all-projects')
        self.assertEqual('Project ID', list(rows[0])[-1])
        self.assertEqual('1', self.cinder.listings()[0]['all_tenants'])

    def test_timezone_moves_the_days(self):
        rows = self.table('--keep-daily', '2', '--volume', cases.VOL_B,
                          '--timezone', 'America/Los_Angeles')
        # 01:00 UTC is the evening before in California.
        self.assertEqual('daily 2026-11-19', rows[0]['Reason'])


class TestRefused(PruneShellTest):

    def assert_refused(self, args, *texts):
        rc, out, err = self.prune(*args)
        self.assertNotEqual(0, rc)
        self.assertEqual('', out)
        self.assertEqual(1, len(err.strip().splitlines()), err)
        for text in texts:
            self.assertIn(text, err)
        self.assertEqual([], self.cinder.events)

    def test_empty_policy(self):
        self.assert_refused(
            ('--volume', cases.VOL_B),
            'no keep rule given: give at least one of --keep-last, '
            '--keep-hourly, --keep-daily, --keep-weekly, --keep-monthly, '
            '--keep-yearly, --keep-within')

    def test_zero_is_no_rule(self):
        self.assert_refused(('--keep-last', '0', '--keep-within', '0d'),
                            'no keep rule given')

    def test_bad_timezone(self):
        self.assert_refused(('--keep-last', '1', '--timezone', 'Mars/Base'),
                            "invalid --timezone 'Mars/Base'")

    def test_bad_age(self):
        self.assert_refused(('--keep-within', 'soon'),
                            "invalid --keep-within 'soon'")

    def test_no_status_filters(self):
        rc, out, err = self.prune('--keep-last', '1', '--status', 'error')
        self.assertEqual(2, rc)
        self.assertIn('unrecognized arguments: --status', err)
        self.assertEqual([], self.cinder.events)


class TestApply(PruneShellTest):

    def test_apply_deletes_the_removals_children_first(self):
        rc, out, err = self.prune('--keep-last', '1', '--apply', '-f',
                                  'json')
        self.assertEqual(0, rc, err)
        rows = json.loads(out)
        self.assertEqual('Result', list(rows[0])[-1])
        self.assertEqual(
            {'i3': 'removed', 'i2': 'removed', 'f1': 'removed',
             'f8': 'removed', 'i5': '', 'f4': '', 'i7': '', 'f6': '',
             'e9': ''}, {r['ID']: r['Result'] for r in rows})
        # Two chains, at once: each in its order.
        self.assertEqual(['i3', 'i2', 'f1'], [
            d for d in self.cinder.deletes() if d != 'f8'])
        self.assertIn('f8', self.cinder.deletes())
        self.assertEqual('', err)

    def test_a_failure_exits_1_and_shows_in_the_table(self):
        self.cinder.outcome['f8'] = 'error_deleting'
        rc, out, err = self.prune('--keep-last', '1', '--volume',
                                  cases.VOL_B, '--apply', '-f', 'value',
                                  '-c', 'ID', '-c', 'Result')
        self.assertEqual(1, rc, err)
        self.assertIn('f8 failed: status error_deleting\n', out)

    def test_no_backup_service_one_line_exit_1(self):
        self.cinder.service_down = True
        rc, out, err = self.run_shell(
            '--os-vbs-page-concurrency', '1', *PRUNE, '--keep-last', '1',
            '--apply', '-f', 'value', '-c', 'ID', '-c', 'Result')
        self.assertEqual(1, rc)
        self.assertEqual(['i3'], self.cinder.deletes())
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertIn('no backup service: the server answered 404 to '
                      'deleting backup i3', err)
        self.assertIn('i3 failed: no backup service\n', out)
        self.assertIn('f8 not sent: the run stopped\n', out)

    def test_ctrl_c_prints_what_was_done_and_exits_130(self):
        runs = []
        start = apply.Run.__init__

        def capture(run, *args, **kwargs):
            start(run, *args, **kwargs)
            runs.append(run)
        self.useFixture(fixtures.MonkeyPatch(
            'vbsclient.api.retention.apply.Run.__init__', capture))

        def interrupt(backup_id):
            if backup_id == 'f8':
                _thread.interrupt_main()
                self.assertTrue(runs[0].stop.wait(10))
        self.cinder.on_delete = interrupt
        rc, out, err = self.run_shell(
            '--os-vbs-page-concurrency', '1', *PRUNE, '--keep-last', '1',
            '--apply', '-f', 'value', '-c', 'ID', '-c', 'Result')
        self.assertEqual(130, rc, err)
        self.assertEqual(['i3', 'i2', 'f1', 'f8'], self.cinder.deletes())
        self.assertIn('f1 removed\n', out)
        self.assertIn('f8 not confirmed: the run stopped while it was '
                      'deleting\n', out)
        self.assertEqual('interrupted: 3 of 4 removed; no backup was '
                         'deleted after Ctrl-C\n', err)


class TestRemovalsProgress(testtools.TestCase):

    def test_one_line_on_stderr(self):
        stream = io.StringIO()
        shown = progress.Removals(stream)
        shown(3, 9)
        shown(4, 9)
        shown.clear()
        self.assertEqual('\rremoved 3 of 9\033[K\rremoved 4 of 9\033[K'
                         '\r\033[K', stream.getvalue())
