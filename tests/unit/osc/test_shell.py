"""The commands run through the real ``openstack`` shell, HTTP mocked."""

import json
import os
from unittest import mock

import fixtures

from vbsclient import client as client_mod

from tests import shellrun
from tests.unit import base

AUTH = ['--os-auth-type', 'admin_token', '--os-endpoint', base.ENDPOINT,
        '--os-token', base.TOKEN]


class ShellTest(shellrun.ShellFixtureMixin, base.TestCase):

    def setUp(self):
        super().setUp()
        self.clean_os_environment()
        self.serve_versions()

    def run_shell(self, *args):
        return super().run_shell(*(AUTH + list(args)))


class TestListOutput(ShellTest):

    def setUp(self):
        super().setUp()
        self.requests_mock.get(base.LIST_URL, json=base.vendor_example())

    def test_json_keeps_native_types(self):
        rc, out, err = self.run_shell('vbs', 'backup', 'list', '--long',
                                      '-f', 'json')
        self.assertEqual(0, rc, err)
        rows = json.loads(out)
        self.assertEqual(3, len(rows))
        self.assertEqual(1, rows[0]['Size'])
        self.assertIs(False, rows[0]['Incremental'])
        self.assertIsNone(rows[0]['Object Count'])
        self.assertIsNone(rows[2]['Project ID'])

    def test_table_shows_missing_fields_empty(self):
        rc, out, err = self.run_shell('vbs', 'backup', 'list', '-c', 'ID',
                                      '-c', 'Name')
        self.assertEqual(0, rc, err)
        self.assertIn('| 1d1139d8-8989-49d3-8aa1-83eb691e6db2 |      |', out)
        self.assertNotIn('None', out)

    def test_value_and_sorting(self):
        rc, out, err = self.run_shell('vbs', 'backup', 'list', '-f', 'value',
                                      '-c', 'ID', '--sort-column',
                                      'Created At')
        self.assertEqual(0, rc, err)
        self.assertEqual(['b3cf7a16-decc-4beb-8077-682737d94a58',
                          '1d1139d8-8989-49d3-8aa1-83eb691e6db2',
                          '80e17946-6e56-46e0-9547-e9ba4f1619bd'],
                         out.split())

    def test_latest_selects_the_commands(self):
        rc, out, err = self.run_shell(
            '--os-vbs-backup-api-version', 'latest', 'vbs', 'backup', 'list',
            '-f', 'csv', '-c', 'ID')
        self.assertEqual(0, rc, err)
        self.assertEqual(4, len(out.splitlines()))

    def test_otcextensions_version_option_is_not_ours(self):
        self.useFixture(fixtures.EnvironmentVariable('OS_VBS_API_VERSION',
                                                     '2'))
        rc, out, err = self.run_shell('vbs', 'backup', 'list', '-f', 'value')
        self.assertEqual(0, rc, err)
        req = self.list_requests()[0]
        self.assertEqual('volume 3.64', req.headers['OpenStack-API-Version'])


class TestCount(ShellTest):

    def test_value_prints_the_number_only(self):
        self.requests_mock.get(base.LIST_URL, json=base.page([], count=42))
        rc, out, err = self.run_shell('vbs', 'backup', 'count', '--name',
                                      'x', '-f', 'value', '-c', 'count')
        self.assertEqual(0, rc, err)
        self.assertEqual('42\n', out)


class TestErrors(ShellTest):

    def test_server_error_is_one_line(self):
        self.requests_mock.get(
            base.LIST_URL, status_code=400,
            json={'badRequest': {'code': 400, 'message': 'Invalid input'}})
        rc, out, err = self.run_shell('vbs', 'backup', 'list')
        self.assertEqual(1, rc)
        self.assertEqual('', out)
        self.assertEqual(
            ['VBS API answered 400 Bad Request to GET %s: Invalid input'
             % base.LIST_URL], err.splitlines())

    def test_gate_refused_before_any_request(self):
        rc, out, err = self.run_shell(
            '--os-vbs-backup-api-version', '3.30', 'vbs', 'backup', 'list',
            '--name-like', 'db')
        self.assertEqual(1, rc)
        self.assertEqual(['--name-like needs --os-vbs-backup-api-version '
                          '3.31 or later; the version in use is 3.30'],
                         err.splitlines())
        self.assertEqual([], self.requests_mock.request_history)

    def test_count_gate(self):
        rc, out, err = self.run_shell(
            '--os-vbs-backup-api-version', '3.44', 'vbs', 'backup', 'count')
        self.assertEqual(1, rc)
        self.assertIn('"vbs backup count" needs --os-vbs-backup-api-version '
                      '3.45 or later', err)
        self.assertEqual([], self.requests_mock.request_history)

    def test_version_outside_server_range(self):
        rc, out, err = self.run_shell(
            '--os-vbs-backup-api-version', '3.72', 'vbs', 'backup', 'list')
        self.assertEqual(1, rc)
        self.assertEqual(['VBS backup API version 3.72 is not supported by '
                          'the server (it supports 3.0 to 3.71)'],
                         err.splitlines())
        self.assertEqual([], self.list_requests())

    def test_bad_status_is_a_usage_error(self):
        rc, out, err = self.run_shell('vbs', 'backup', 'list', '--status',
                                      'sleeping')
        self.assertEqual(2, rc)
        self.assertIn("argument --status: invalid choice: 'sleeping'", err)
        self.assertEqual([], self.requests_mock.request_history)

    def test_option_given_twice_refused_before_any_request(self):
        for argv in (
                ['list', '--status', 'available', '--status', 'error'],
                ['list', '--name', 'a', '--name', 'a'],
                ['list', '--limit', '3', '--limit', '4'],
                ['list', '--sort', 'id', '--sort', 'name'],
                ['count', '--volume-like', 'a', '--volume-like', 'b'],
                ['count', '--created-after', '1d', '--created-after', '2d'],
                ['summary', '--group-by', 'status', '--group-by', 'month'],
                ['summary', '--project', 'p', '--project', 'q'],
                ['coverage', '--max-age', '1d', '--max-age', '2d'],
                ['metrics', '--max-age', '1d', '--max-age', '2d'],
                ['metrics', '--textfile', 'a.prom', '--textfile', 'b.prom'],
                ['prune', '--keep-last', '1', '--keep-last', '2'],
                ['show', 'x', '--project-domain', 'd', '--project-domain',
                 'e']):
            option = argv[-2]
            rc, out, err = self.run_shell('vbs', 'backup', *argv)
            self.assertEqual(2, rc, argv)
            self.assertEqual('', out)
            self.assertEqual(err.splitlines()[-1].split(': error: ')[1],
                             '%s given twice' % option, err)
            self.assertEqual([], self.requests_mock.request_history, argv)

    def test_limit_and_max_items_alike_still_accepted(self):
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        rc, out, err = self.run_shell('vbs', 'backup', 'list', '--limit',
                                      '3', '--max-items', '3')
        self.assertEqual(0, rc, err)

    def test_version_discovery_failures_are_one_line(self):
        for response, first in (
                ({'status_code': 503, 'reason': 'Service Unavailable'},
                 'VBS API answered 503 Service Unavailable to GET %s'
                 % base.VERSION_URL),
                ({'status_code': 401, 'reason': 'Unauthorized'},
                 'VBS API answered 401 Unauthorized to GET %s'
                 % base.VERSION_URL),
                ({'status_code': 403, 'reason': 'Forbidden'},
                 'VBS API answered 403 Forbidden to GET %s'
                 % base.VERSION_URL),
                ({'text': 'maintenance'},
                 'VBS API answered GET %s with a body that is not JSON'
                 % base.VERSION_URL)):
            self.requests_mock.reset()
            self.requests_mock.get(base.VERSION_URL, **response)
            self.requests_mock.get(base.LIST_URL, json=base.page([]))
            rc, out, err = self.run_shell('vbs', 'backup', 'list')
            self.assertEqual(1, rc, response)
            self.assertEqual('', out)
            self.assertEqual(1, len(err.splitlines()), err)
            self.assertTrue(err.startswith(first), err)
            self.assertEqual([], self.list_requests())

    def test_missing_version_document_falls_back(self):
        self.requests_mock.get(base.VERSION_URL, status_code=404)
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        rc, out, err = self.run_shell('vbs', 'backup', 'list')
        self.assertEqual(0, rc, err)
        self.assertEqual('volume 3.45', self.list_requests()[0].headers[
            'OpenStack-API-Version'])


class TestShow(ShellTest):

    def test_not_found_names_the_scope_options(self):
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        rc, out, err = self.run_shell('vbs', 'backup', 'show', 'nightly')
        self.assertEqual(1, rc)
        self.assertEqual(
            ["no backup with name or ID 'nightly'; an admin may look in "
             "every project with --all-projects or in one with --project"],
            err.splitlines())

    def test_shown_by_name(self):
        self.requests_mock.get(base.LIST_URL, json=base.page([
            base.backup(1, name='nightly',
                        description='{"DESC": "d", "INC": 1}')]))
        rc, out, err = self.run_shell('vbs', 'backup', 'show', 'nightly',
                                      '-f', 'json')
        self.assertEqual(0, rc, err)
        shown = json.loads(out)
        self.assertEqual('bk-0001', shown['ID'])
        self.assertEqual('d', shown['Description'])
        self.assertIs(True, shown['Incremental'])


class TestBadVersionSetting(ShellTest):
    """A bad version setting fails only the vbs commands.

    This replaces a test that check_api_version returns True, which it
    always does.
    """

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VBS_BACKUP_API_VERSION', '2.0'))

    def test_vbs_command_fails_naming_the_variable(self):
        rc, out, err = self.run_shell('vbs', 'backup', 'list')
        self.assertEqual(1, rc)
        self.assertEqual(
            ["invalid --os-vbs-backup-api-version '2.0' (from "
             "OS_VBS_BACKUP_API_VERSION): use 3, 3.N or latest"],
            err.splitlines())
        self.assertEqual([], self.requests_mock.request_history)

    def test_other_commands_still_start(self):
        rc, out, err = self.run_shell('help', 'vbs', 'backup', 'list')
        self.assertEqual(0, rc, err)
        self.assertIn('--name-like', out)


class TestEndpointOverrideSpaces(ShellTest):
    """A pasted override with spaces around it names the same endpoint."""

    def test_spaces_are_not_part_of_the_url(self):
        self.requests_mock.get(base.LIST_URL,
                               json=base.page([base.backup(1)]))
        for args, env in (
                (['--os-vbs-endpoint-override', base.ENDPOINT + ' '], None),
                ([], ' %s\n' % base.ENDPOINT)):
            sent = len(self.list_requests())
            self.useFixture(fixtures.EnvironmentVariable(
                'OS_VBS_ENDPOINT_OVERRIDE', env))
            rc, out, err = self.run_shell(*(args + [
                'vbs', 'backup', 'list', '-f', 'value', '-c', 'ID']))
            self.assertEqual((0, 'bk-0001\n', ''), (rc, out, err), args)
            self.assertEqual([base.LIST_URL], [
                r.url.partition('?')[0]
                for r in self.list_requests()[sent:]], args)


class TestTimeoutVariable(ShellTest):
    """OS_VBS_TIMEOUT_SECONDS, and OS_VBS_TIMEOUT (deprecated).

    openstacksdk does not fold the first into its session timeout.
    """

    def test_bad_value_names_the_variable(self):
        self.useFixture(fixtures.EnvironmentVariable('OS_VBS_TIMEOUT_SECONDS',
                                                     'soon'))
        rc, out, err = self.run_shell('vbs', 'backup', 'list')
        self.assertEqual(1, rc)
        self.assertEqual(["invalid --os-vbs-timeout 'soon' (from "
                          "OS_VBS_TIMEOUT_SECONDS): give a number of seconds "
                          "above 0"], err.splitlines())
        self.assertEqual([], self.requests_mock.request_history)

    def test_deprecated_variable_read_with_a_warning(self):
        # Still read, and left in the environment: openstacksdk, which
        # makes it every command's timeout there, sees it too (a bad
        # value then fails every command in openstacksdk's words).
        self.requests_mock.get(base.LIST_URL,
                               json=base.page([base.backup(1)]))
        self.useFixture(fixtures.EnvironmentVariable('OS_VBS_TIMEOUT', '7'))
        with mock.patch.object(client_mod.Client, '__init__',
                               side_effect=client_mod.Client.__init__,
                               autospec=True) as made:
            rc, out, err = self.run_shell('vbs', 'backup', 'list', '-f',
                                          'value', '-c', 'ID')
        self.assertEqual((0, 'bk-0001\n'), (rc, out), err)
        self.assertEqual(["Warning: OS_VBS_TIMEOUT is deprecated: set "
                          "OS_VBS_TIMEOUT_SECONDS instead"], err.splitlines())
        self.assertEqual(7, made.call_args.kwargs['timeout'])
        self.assertEqual('7', os.environ['OS_VBS_TIMEOUT'])


class TestCommandGroupValue(ShellTest):
    """OSC hands the plugin its command-group value on every start."""

    def test_a_minor_version_there_warns_of_nothing(self):
        # OSC warns (on every command) of a value outside API_VERSIONS
        # unless check_api_version accepts it; the real version setting
        # is checked by make_client instead.
        self.requests_mock.get(base.LIST_URL,
                               json=base.page([base.backup(1)]))
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VBS_BACKUP_COMMAND_GROUP', '3.45'))
        rc, out, err = self.run_shell('vbs', 'backup', 'list', '-f',
                                      'value', '-c', 'ID')
        self.assertEqual((0, 'bk-0001\n', ''), (rc, out, err))


class TestSingleDigitMinorGates(ShellTest):
    """3.9 is below 3.31, 3.37 and 3.45, compared as numbers."""

    def test_gates_refuse_3_9(self):
        for args, line in (
                (['list', '--name-like', 'db'],
                 '--name-like needs --os-vbs-backup-api-version 3.31 or '
                 'later; the version in use is 3.9'),
                (['list', '--sort', 'name'],
                 '--sort name needs --os-vbs-backup-api-version 3.37 or '
                 'later; the version in use is 3.9'),
                (['count'],
                 '"vbs backup count" needs --os-vbs-backup-api-version '
                 '3.45 or later; the version in use is 3.9')):
            rc, out, err = self.run_shell(
                '--os-vbs-backup-api-version', '3.9', 'vbs', 'backup',
                *args)
            self.assertEqual((1, [line]), (rc, err.splitlines()), args)
        self.assertEqual([], self.requests_mock.request_history)

    def test_negotiated_3_9_is_used_and_gated(self):
        self.serve_versions(max_version='3.9')
        self.requests_mock.get(base.LIST_URL,
                               json=base.page([base.backup(1)]))
        rc, out, err = self.run_shell('vbs', 'backup', 'list', '-f',
                                      'value', '-c', 'ID')
        self.assertEqual((0, 'bk-0001\n'), (rc, out), err)
        self.assertEqual('volume 3.9', self.list_requests()[0].headers[
            'OpenStack-API-Version'])
        rc, out, err = self.run_shell('vbs', 'backup', 'list',
                                      '--status-like', 'err')
        self.assertEqual(1, rc)
        self.assertEqual(['--status-like needs --os-vbs-backup-api-version '
                          '3.31 or later; the version in use is 3.9'],
                         err.splitlines())
        self.assertEqual(1, len(self.list_requests()))


class TestSortDirection(ShellTest):

    def test_unknown_direction_is_a_usage_error(self):
        rc, out, err = self.run_shell('vbs', 'backup', 'list', '--sort',
                                      'size:up')
        self.assertEqual(2, rc)
        self.assertIn("unknown sort direction 'up' for size; use asc or "
                      "desc", err)
        self.assertEqual([], self.requests_mock.request_history)

    def test_asc_and_desc_are_sent_as_given(self):
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        rc, out, err = self.run_shell('vbs', 'backup', 'list', '--sort',
                                      'size:asc,created_at:desc')
        self.assertEqual(0, rc, err)
        [request] = self.list_requests()
        self.assertEqual(['size:asc,created_at:desc'],
                         base.query_of(request)['sort'])


class TestHyphenatedVolumeName(ShellTest):

    def test_looked_up_by_name_then_filtered_by_id(self):
        volume_id = '5b0a7f3c-2f1e-4d6b-9c8a-7e6d5c4b3a21'
        volumes = self.requests_mock.get(
            base.ENDPOINT + '/volumes',
            json={'volumes': [{'id': volume_id, 'name': 'data-vol'}]})
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        rc, out, err = self.run_shell('vbs', 'backup', 'list', '--volume',
                                      'data-vol')
        self.assertEqual(0, rc, err)
        [lookup] = volumes.request_history
        self.assertEqual(['data-vol'], base.query_of(lookup)['name'])
        [request] = self.list_requests()
        self.assertEqual([volume_id], base.query_of(request)['volume_id'])
