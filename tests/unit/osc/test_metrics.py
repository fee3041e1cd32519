"""``vbs backup metrics`` through the real shell, HTTP mocked: stdout,
the textfile (atomic, written on failure too) and the exit status."""

import datetime
import os
import stat
from unittest import mock

import fixtures
from prometheus_client import parser

from vbsclient.api import backups as backups_api
from vbsclient.api.query import params as query
from vbsclient.api.reports import exposition
from vbsclient.api.reports import metrics as metrics_api
from vbsclient import exceptions

from tests import shellrun
from tests.unit import base
from tests.unit.osc import test_reports

UTC = datetime.timezone.utc
RUN_HEALTH = ['vbs_metrics_success', 'vbs_metrics_duration_seconds',
              'vbs_metrics_last_run_timestamp_seconds']


def samples(text):
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in parser.text_string_to_metric_families(text)
            for s in family.samples}


class MetricsShellTest(test_reports.ReportShellTest):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.path = os.path.join(self.dir, 'vbs.prom')

    def metrics(self, *args):
        return self.run_shell('vbs', 'backup', 'metrics', *args)

    def assertRunHealth(self, success, found, before, after):
        self.assertEqual(success, found[('vbs_metrics_success', ())])
        self.assertLessEqual(0, found[('vbs_metrics_duration_seconds', ())])
        self.assertTrue(before <= found[(
            'vbs_metrics_last_run_timestamp_seconds', ())] <= after)

    def assertOnlyFile(self):
        self.assertEqual(['vbs.prom'], os.listdir(self.dir))


class TestOutput(MetricsShellTest):

    def test_stdout_parses_and_holds_the_values(self):
        before = datetime.datetime.now(UTC).timestamp()
        rc, out, err = self.metrics('--per-volume', '--sizes')
        after = datetime.datetime.now(UTC).timestamp()
        self.assertEqual((0, ''), (rc, err))
        found = samples(out)
        self.assertEqual(
            {s: {'available': 3, 'error': 1}.get(s, 0)
             for s in query.STATUSES},
            {s: found[('vbs_backups', (('status', s),))]
             for s in query.STATUSES})
        newest = datetime.datetime.fromisoformat(
            self.backups[0]['created_at']).replace(tzinfo=UTC)
        self.assertEqual(newest.timestamp(), found[
            ('vbs_backup_newest_timestamp_seconds', ())])
        self.assertEqual((3, 2), (found[('vbs_volumes', ())],
                                  found[('vbs_volumes_uncovered', ())]))
        self.assertEqual(0, found[('vbs_volume_last_backup_timestamp_'
                                   'seconds', (('volume_id', 'vol-3'),
                                               ('volume_name', 'v3')))])
        self.assertEqual(8, found[('vbs_backup_size_gigabytes',
                                   (('status', 'available'),))])
        self.assertRunHealth(1, found, before, after)
        self.assertEqual(RUN_HEALTH, [
            line.split()[0] for line in out.splitlines()
            if not line.startswith('#')][-3:])

    def test_filters_and_scope_go_to_the_server(self):
        rc, out, err = self.metrics('--all-projects', '--name-like', 'b')
        self.assertEqual(0, rc, err)
        for request in self.list_requests():
            q = base.query_of(request)
            self.assertEqual(['1'], q['all_tenants'])
            if q['status'][0] not in ('available', 'restoring'):
                self.assertEqual(['b'], q['name~'])

    def test_formatter_options_are_not_taken(self):
        rc, out, err = self.metrics('-f', 'json')
        self.assertEqual((2, ''), (rc, out))
        self.assertIn('unrecognized arguments: -f json', err)

    def test_help_says_formatters_do_not_apply_and_sizes_read_all(self):
        rc, out, err = self.metrics('--help')
        self.assertEqual(0, rc, err)
        text = ' '.join(out.split())
        self.assertIn("OSC's output formatters (-f, -c) do not apply", text)
        self.assertIn('This reads the whole listing', text)
        self.assertIn('Prometheus text exposition format 0.0.4', text)


class TestTextfile(MetricsShellTest):

    def test_written_atomically_nothing_on_stdout(self):
        old = os.umask(0o027)
        self.addCleanup(os.umask, old)
        with open(self.path, 'w') as fh:
            fh.write('old\n')
        with mock.patch('os.replace', wraps=os.replace) as replace:
            rc, out, err = self.metrics('--textfile', self.path)
        self.assertEqual((0, '', ''), (rc, out, err))
        [(temporary, target), _kw] = replace.call_args
        self.assertEqual((self.dir, self.path),
                         (os.path.dirname(temporary), target))
        self.assertFalse(temporary.endswith('.prom'))
        self.assertOnlyFile()
        with open(self.path) as fh:
            found = samples(fh.read())
        self.assertEqual(1, found[('vbs_metrics_success', ())])
        self.assertEqual(3, found[('vbs_backups', (('status', 'available'),
                                                   ))])
        self.assertEqual(0o640, stat.S_IMODE(os.stat(self.path).st_mode))

    def test_a_failure_writes_success_0(self):
        self.requests_mock.get(base.LIST_URL, status_code=500, json={
            'computeFault': {'code': 500, 'message': 'boom'}})
        before = datetime.datetime.now(UTC).timestamp()
        rc, out, err = self.metrics('--textfile', self.path)
        after = datetime.datetime.now(UTC).timestamp()
        self.assertEqual((1, ''), (rc, out))
        [line] = err.splitlines()
        self.assertIn('boom', line)
        with open(self.path) as fh:
            text = fh.read()
        found = samples(text)
        self.assertEqual(RUN_HEALTH, [name for name, _labels in found])
        self.assertRunHealth(0, found, before, after)
        self.assertOnlyFile()

    def test_a_failure_without_textfile_prints_nothing(self):
        self.requests_mock.get(base.LIST_URL, status_code=500, json={
            'computeFault': {'code': 500, 'message': 'boom'}})
        rc, out, err = self.metrics()
        self.assertEqual((1, ''), (rc, out))
        self.assertEqual(1, len(err.splitlines()), err)

    def test_bad_age_written_as_a_failure_without_a_request(self):
        rc, out, err = self.metrics('--max-age', '7y', '--textfile',
                                    self.path)
        self.assertEqual((1, ''), (rc, out))
        self.assertEqual(["invalid --max-age '7y': unknown unit 'y' (use "
                          "one of s, m, h, d, w)"], err.splitlines())
        self.assertEqual([], self.requests_mock.request_history)
        with open(self.path) as fh:
            self.assertEqual(0, samples(fh.read())[
                ('vbs_metrics_success', ())])

    def test_unwritable_path_one_line_and_nothing_left(self):
        path = os.path.join(self.dir, 'missing', 'vbs.prom')
        rc, out, err = self.metrics('--textfile', path)
        self.assertEqual((1, ''), (rc, out))
        self.assertEqual(['cannot write --textfile %s: No such file or '
                          'directory' % path], err.splitlines())
        os.mkdir(os.path.join(self.dir, 'missing'))
        with mock.patch('os.replace', side_effect=PermissionError(
                13, 'Permission denied')):
            rc, out, err = self.metrics('--textfile', path)
        self.assertEqual((1, ''), (rc, out))
        self.assertEqual(['cannot write --textfile %s: Permission denied'
                          % path], err.splitlines())
        self.assertEqual([], os.listdir(os.path.join(self.dir, 'missing')))

    def test_failure_and_unwritable_path_in_one_line(self):
        rc, out, err = self.metrics('--max-age', '7y', '--textfile',
                                    os.path.join(self.dir, 'no', 'x.prom'))
        self.assertEqual((1, ''), (rc, out))
        [line] = err.splitlines()
        self.assertTrue(line.startswith("invalid --max-age '7y': "), line)
        self.assertIn('; cannot write --textfile ', line)

    def test_keystone_refusing_still_writes_the_file(self):
        # OSC authenticates before a command runs; this one does it
        # itself, so that the file is written.
        auth_url = 'https://keystone.example.test/v3'
        self.requests_mock.post(auth_url + '/auth/tokens', status_code=401,
                                json={'error': {'code': 401,
                                                'message': 'nope'}})
        rc, out, err = shellrun.ShellFixtureMixin.run_shell(
            self, '--os-auth-type', 'v3password', '--os-auth-url', auth_url,
            '--os-username', 'u', '--os-password', 'p',
            '--os-user-domain-id', 'default', '--os-project-id',
            base.PROJECT_ID, 'vbs', 'backup', 'metrics', '--textfile',
            self.path)
        self.assertEqual((1, ''), (rc, out))
        self.assertIn('401', err)
        with open(self.path) as fh:
            self.assertEqual(0, samples(fh.read())[
                ('vbs_metrics_success', ())])


class TestMockedLibrary(MetricsShellTest):

    VALUES = metrics_api.Metrics(
        backups={'available': 2}, newest=None, oldest=None, volumes=1,
        uncovered=1, per_volume=(metrics_api.VolumeLast(
            'v', 'say "hi"\\\n', None),))

    def test_the_values_rendered_then_the_run(self):
        with mock.patch.object(backups_api.BackupManager, 'metrics',
                               return_value=self.VALUES) as call:
            rc, out, err = self.metrics('--per-volume', '--max-age', '2h',
                                        '--status', 'error')
        self.assertEqual((0, ''), (rc, err))
        call.assert_called_once_with(max_age='2h', per_volume=True,
                                     sizes=False, all_projects=False,
                                     status='error')
        expected = exposition.render(self.VALUES)
        self.assertEqual(expected, out[:len(expected)])
        self.assertEqual(RUN_HEALTH, [
            line.split()[2] for line in out[len(expected):].splitlines()
            if line.startswith('# HELP')])

    def test_any_library_error_is_success_0(self):
        for error in (exceptions.ConnectionFailed('unreachable'),
                      exceptions.BadResponse('garbled'),
                      ValueError('unexpected')):
            with mock.patch.object(backups_api.BackupManager, 'metrics',
                                   side_effect=error):
                rc, out, err = self.metrics('--textfile', self.path)
            self.assertEqual((1, '', [str(error)]),
                             (rc, out, err.splitlines()))
            with open(self.path) as fh:
                found = samples(fh.read())
            self.assertEqual(0, found[('vbs_metrics_success', ())])
            self.assertEqual(RUN_HEALTH, [name for name, _l in found])
            self.assertOnlyFile()
