"""``vbs backup summary`` and ``coverage`` through the real shell, HTTP
mocked: columns, formatters, one-line errors before any request."""

import datetime
import json

from tests import hostile_server as hs
from tests.unit.api.reports import test_reports
from tests.unit import base
from tests.unit.osc import test_shell

PROJECT = 'os-backup-project-attr:project_id'


def at(days_ago):
    when = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(
        days=days_ago)
    return when.replace(tzinfo=None).isoformat(timespec='microseconds')


class ReportShellTest(test_shell.ShellTest):

    def setUp(self):
        super().setUp()
        self.backups = [
            base.backup(1, volume_id='vol-1', created_at=at(0.1),
                        description='{"DESC": "x", "INC": 1}',
                        **{PROJECT: 'p1'}),
            base.backup(2, volume_id='vol-2', created_at=at(0.5),
                        status='error', **{PROJECT: 'p1'}),
            base.backup(3, volume_id='vol-2', created_at=at(3),
                        **{PROJECT: 'p2'}),
            base.backup(4, volume_id='vol-1', created_at=at(40),
                        **{PROJECT: 'p1'}),
        ]
        self.requests_mock.get(base.LIST_URL, json=test_reports.serve(
            hs.FakeBackups(self.backups, page_size=2)))
        self.volumes = [
            {'id': 'vol-%d' % n, 'name': 'v%d' % n, 'size': 10 * n,
             'status': 'available', 'os-vol-tenant-attr:tenant_id': 'p1'}
            for n in (1, 2, 3)]
        self.requests_mock.get(test_reports.VOLUMES_URL,
                               json=test_reports.serve(
                                   test_reports.FakeVolumes(self.volumes)))


class TestSummary(ReportShellTest):

    def test_json_by_month_and_incremental(self):
        rc, out, err = self.run_shell(
            'vbs', 'backup', 'summary', '--group-by',
            'incremental,availability-zone', '-f', 'json')
        self.assertEqual(0, rc, err)
        self.assertEqual(
            [{'Incremental': False, 'Availability Zone': None, 'Count': 3,
              'Size (GB)': 9, 'Oldest': self.backups[3]['created_at'],
              'Newest': self.backups[1]['created_at']},
             {'Incremental': True, 'Availability Zone': None, 'Count': 1,
              'Size (GB)': 1, 'Oldest': self.backups[0]['created_at'],
              'Newest': self.backups[0]['created_at']}],
            json.loads(out))

    def test_default_by_status_as_a_table_and_values(self):
        rc, out, err = self.run_shell('vbs', 'backup', 'summary')
        self.assertEqual(0, rc, err)
        self.assertIn('| Status    | Count | Size (GB) | Oldest', out)
        rc, out, err = self.run_shell('vbs', 'backup', 'summary', '-f',
                                      'value', '-c', 'Status', '-c', 'Count',
                                      '--group-by', 'status')
        self.assertEqual('available 3\nerror 1\n', out)

    def test_filters_and_scope_go_to_the_server(self):
        rc, out, err = self.run_shell(
            'vbs', 'backup', 'summary', '--all-projects', '--status',
            'available', '--group-by', 'project', '-f', 'csv')
        self.assertEqual(0, rc, err)
        # A bare token (--os-token): no Keystone to name projects.
        self.assertEqual(['"Project ID","Project Name","Count","Size (GB)",'
                          '"Oldest","Newest"', '"p1","",2,5,"%s","%s"' % (
                              self.backups[3]['created_at'],
                              self.backups[0]['created_at']),
                          '"p2","",1,3,"%s","%s"' % (
                              self.backups[2]['created_at'],
                              self.backups[2]['created_at'])],
                         out.splitlines())
        for request in self.list_requests():
            query = base.query_of(request)
            self.assertEqual(['1'], query['all_tenants'])
            self.assertEqual(['available'], query['status'])

    def test_incremental_or_full(self):
        # The vendor's INC decoded, as the Incremental column shows it.
        for option, expected in (('--incremental', 'available 1\n'),
                                 ('--full', 'available 2\nerror 1\n')):
            rc, out, err = self.run_shell(
                'vbs', 'backup', 'summary', option, '-f', 'value', '-c',
                'Status', '-c', 'Count')
            self.assertEqual((0, expected, ''), (rc, out, err))

    def test_age_windows(self):
        rc, out, err = self.run_shell(
            'vbs', 'backup', 'summary', '--created-after', '1d', '-f',
            'value', '-c', 'Status', '-c', 'Count')
        self.assertEqual((0, 'available 1\nerror 1\n', ''), (rc, out, err))
        rc, out, err = self.run_shell(
            'vbs', 'backup', 'summary', '--created-before', '1d',
            '--group-by', 'volume', '-f', 'value', '-c', 'Volume ID', '-c',
            'Count')
        self.assertEqual((0, 'vol-1 1\nvol-2 1\n', ''), (rc, out, err))

    def test_volume_name_beside_the_volume_id(self):
        self.backups.append(base.backup(5, volume_id='gone',
                                        created_at=at(50)))
        rc, out, err = self.run_shell('vbs', 'backup', 'summary',
                                      '--group-by', 'volume,status')
        self.assertEqual(0, rc, err)
        self.assertEqual(
            [['Volume ID', 'Volume Name', 'Status', 'Count'],
             ['gone', '', 'available', '1'],
             ['vol-1', 'v1', 'available', '2'],
             ['vol-2', 'v2', 'available', '1'],
             ['vol-2', 'v2', 'error', '1']],
            [[cell.strip() for cell in line.split('|')[1:5]]
             for line in out.splitlines() if line.startswith('|')])

    def test_unknown_group_key_one_line_no_request(self):
        rc, out, err = self.run_shell('vbs', 'backup', 'summary',
                                      '--group-by', 'status,colour')
        self.assertEqual(1, rc)
        self.assertEqual('', out)
        self.assertEqual(["invalid --group-by 'status,colour': unknown key "
                          "'colour'; use status, project, volume, "
                          "availability-zone, incremental, month"],
                         err.splitlines())
        self.assertEqual([], self.requests_mock.request_history)

    def test_group_key_error_shows_the_value_as_typed(self):
        # The CLI spelling is translated for the library; the message
        # still quotes what was typed.
        rc, out, err = self.run_shell('vbs', 'backup', 'summary',
                                      '--group-by',
                                      'availability-zone,colour')
        self.assertEqual(1, rc)
        self.assertEqual(["invalid --group-by 'availability-zone,colour': "
                          "unknown key 'colour'; use status, project, "
                          "volume, availability-zone, incremental, month"],
                         err.splitlines())
        self.assertEqual([], self.requests_mock.request_history)

    def test_unknown_hyphenated_key_is_quoted_as_typed(self):
        rc, out, err = self.run_shell('vbs', 'backup', 'summary',
                                      '--group-by', 'status,avail-zone')
        self.assertEqual(1, rc)
        self.assertEqual(["invalid --group-by 'status,avail-zone': unknown "
                          "key 'avail-zone'; use status, project, volume, "
                          "availability-zone, incremental, month"],
                         err.splitlines())
        self.assertEqual([], self.requests_mock.request_history)

    def test_group_key_in_either_spelling(self):
        for key in ('availability-zone', 'availability_zone'):
            rc, out, err = self.run_shell('vbs', 'backup', 'summary',
                                          '--group-by', key, '-f', 'json')
            self.assertEqual(0, rc, err)
            self.assertEqual([None], [row['Availability Zone']
                                      for row in json.loads(out)])

    def test_nothing_printed_when_a_page_fails(self):
        self.requests_mock.get(base.LIST_URL, [
            {'json': base.page(self.backups[:2], base.LIST_URL
                               + '?marker=bk-0002')},
            {'status_code': 500,
             'json': {'computeFault': {'code': 500, 'message': 'boom'}}}])
        rc, out, err = self.run_shell('vbs', 'backup', 'summary')
        self.assertEqual(1, rc)
        self.assertEqual('', out)
        self.assertIn('boom', err)


class TestCoverage(ReportShellTest):

    def test_columns_and_values(self):
        # vol-1's newest backup restores to two days ago (data_timestamp),
        # its older one to 40 days ago: not covered, the newest shown.
        # vol-3 is in error.
        self.backups[0]['data_timestamp'] = at(2)
        self.volumes[2]['status'] = 'error'
        rc, out, err = self.run_shell('vbs', 'backup', 'coverage', '-f',
                                      'json')
        self.assertEqual(0, rc, err)
        self.assertEqual(
            [{'Volume ID': 'vol-1', 'Volume Name': 'v1',
              'Volume Status': 'available', 'Size': 10,
              'Last Backup ID': 'bk-0001',
              'Last Backup At': self.backups[0]['created_at'],
              'Data Timestamp': self.backups[0]['data_timestamp'],
              'Covered': False},
             {'Volume ID': 'vol-2', 'Volume Name': 'v2',
              'Volume Status': 'available', 'Size': 20,
              'Last Backup ID': 'bk-0003',
              'Last Backup At': self.backups[2]['created_at'],
              'Data Timestamp': self.backups[2]['created_at'],
              'Covered': False},
             {'Volume ID': 'vol-3', 'Volume Name': 'v3',
              'Volume Status': 'error', 'Size': 30,
              'Last Backup ID': None, 'Last Backup At': None,
              'Data Timestamp': None, 'Covered': False}],
            json.loads(out))

    def test_a_restoring_backup_covers(self):
        self.backups[1]['status'] = 'restoring'
        rc, out, err = self.run_shell('vbs', 'backup', 'coverage', '-f',
                                      'value', '-c', 'Volume ID', '-c',
                                      'Last Backup ID', '-c', 'Covered')
        self.assertEqual(
            (0, 'vol-1 bk-0001 True\nvol-2 bk-0002 True\n'
             'vol-3 None False\n', ''), (rc, out, err))

    def test_uncovered_with_an_age_and_exit_status_zero(self):
        rc, out, err = self.run_shell('vbs', 'backup', 'coverage',
                                      '--max-age', '4d', '--uncovered',
                                      '-f', 'value', '-c', 'Volume ID')
        self.assertEqual((0, 'vol-3\n', ''), (rc, out, err))

    def test_table_shows_no_backup_empty(self):
        rc, out, err = self.run_shell('vbs', 'backup', 'coverage',
                                      '--uncovered', '--max-age', '4d')
        self.assertEqual(0, rc, err)
        self.assertIn('| vol-3     | v3          | available     |   30 | '
                      '               |                |                | '
                      'False   |', out)

    def test_all_projects_adds_the_owner(self):
        rc, out, err = self.run_shell('vbs', 'backup', 'coverage',
                                      '--all-projects', '-f', 'value',
                                      '-c', 'Project ID')
        self.assertEqual((0, 'p1\np1\np1\n', ''), (rc, out, err))

    def test_bad_age_one_line_no_request(self):
        for age in ('7y', '-1d', 'tomorrow', '2026-11-01'):
            rc, out, err = self.run_shell('vbs', 'backup', 'coverage',
                                          '--max-age=' + age)
            self.assertEqual(1, rc)
            [line] = err.splitlines()
            self.assertTrue(line.startswith('invalid --max-age '), line)
        self.assertEqual([], self.requests_mock.request_history)
