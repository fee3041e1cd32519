"""The list, count and show commands: options to one library call, with a
mocked manager, then with a real client on requests-mock."""

import gc
import io
from unittest import mock

from osc_lib.test import base as osc_base

from vbsclient import backup as backup_mod
from vbsclient import client as client_mod
from vbsclient import exceptions
from vbsclient.osc.v3 import backup
from vbsclient.osc.v3 import columns

from tests.unit import base

UNSET = dict(name=None, status=None, volume=None, name_like=None,
             status_like=None, volume_like=None, project=None,
             project_domain=None)
OTHER_PROJECT = 'ee6b0f3ac7cc4bd8a5b7a4b1b8f0b6f1'
BACKUP_ID = '00000000-1111-4222-8333-444444444444'


def backups_of(rows):
    return [backup_mod.Backup(row) for row in rows]


class CommandTest(osc_base.TestCommand):

    def setUp(self):
        super().setUp()
        self.backups = mock.Mock()
        self.backups.list.return_value = iter(
            backups_of(base.vendor_example()['backups']))
        self.backups.count.return_value = 7
        self.app.client_manager.vbs = mock.Mock(backups=self.backups)
        self.app.stderr = io.StringIO()

    def parse(self, cmd, args):
        return self.check_parser(cmd, args, [])


class TestListBackup(CommandTest):

    def test_all_options_map_to_keywords(self):
        cmd = backup.ListBackup(self.app, None)
        args = self.parse(cmd, [
            '--name', 'n', '--status', 'ERROR', '--volume', 'v1',
            '--name-like', 'a&b', '--status-like', 'err',
            '--volume-like', '27', '--marker', 'm', '--offset', '3',
            '--limit', '0', '--sort', 'name:asc', '--project', 'p',
            '--project-domain', 'd', '--all-projects'])
        cmd.take_action(args)
        self.backups.list.assert_called_once_with(
            name='n', status='error', volume='v1', name_like='a&b',
            status_like='err', volume_like='27', all_projects=True,
            project='p', project_domain='d', sort='name:asc', marker='m',
            offset=3, limit=0, on_page=None)

    def test_window_options_map_to_keywords_unparsed(self):
        for cls, method in ((backup.ListBackup, self.backups.list),
                            (backup.CountBackup, self.backups.count)):
            cmd = cls(self.app, None)
            cmd.take_action(self.parse(cmd, [
                '--created-before', '30d', '--created-after', '2026-01-01',
                '--data-timestamp-before', '2026-02-01T08:00+02:00',
                '--data-timestamp-after', 'x']))
            kwargs = method.call_args.kwargs
            self.assertEqual(
                {'created_before': '30d', 'created_after': '2026-01-01',
                 'data_timestamp_before': '2026-02-01T08:00+02:00',
                 'data_timestamp_after': 'x'},
                {k: v for k, v in kwargs.items() if 'before' in k
                 or 'after' in k})

    def test_incremental_or_full(self):
        for cls, method in ((backup.ListBackup, self.backups.list),
                            (backup.CountBackup, self.backups.count)):
            cmd = cls(self.app, None)
            cmd.take_action(self.parse(cmd, ['--incremental']))
            self.assertIs(True, method.call_args.kwargs['incremental'])
            cmd.take_action(self.parse(cmd, ['--full']))
            self.assertIs(False, method.call_args.kwargs['incremental'])
            cmd.take_action(self.parse(cmd, []))
            self.assertNotIn('incremental', method.call_args.kwargs)
            self.assertRaises(osc_base.ParserException, self.parse, cmd,
                              ['--incremental', '--full'])

    def test_no_options(self):
        cmd = backup.ListBackup(self.app, None)
        cmd.take_action(self.parse(cmd, []))
        self.backups.list.assert_called_once_with(all_projects=False,
                                                  on_page=None)

    def test_max_items_is_the_limit(self):
        cmd = backup.ListBackup(self.app, None)
        cmd.take_action(self.parse(cmd, ['--max-items', '4']))
        self.assertEqual(4, self.backups.list.call_args.kwargs['limit'])
        self.assertRaises(osc_base.ParserException, self.parse, cmd,
                          ['--max-items', '4', '--limit', '5'])

    def test_library_error_reworded_with_option_names(self):
        self.backups.list.side_effect = exceptions.UnsupportedMicroversion(
            'sort:name', '3.37', '3.30')
        cmd = backup.ListBackup(self.app, None)
        e = self.assertRaises(exceptions.UnsupportedMicroversion, cmd.run,
                              self.parse(cmd, ['--sort', 'name']))
        self.assertEqual('--sort name needs --os-vbs-backup-api-version '
                         '3.37 or later; the version in use is 3.30', str(e))

    def test_default_columns(self):
        cmd = backup.ListBackup(self.app, None)
        headers, rows = cmd.take_action(self.parse(cmd, []))
        self.assertEqual(('ID', 'Name', 'Description', 'Status', 'Size',
                          'Incremental', 'Created At'), headers)
        self.assertEqual(
            ('1d1139d8-8989-49d3-8aa1-83eb691e6db2', None, None, 'error', 1,
             False, '2013-06-27T08:48:03.000000'), rows[0])

    def test_scoped_listing_adds_the_owner(self):
        cmd = backup.ListBackup(self.app, None)
        for args in (['--all-projects'], ['--project', 'p']):
            self.backups.list.return_value = iter(
                backups_of(base.vendor_example()['backups']))
            headers, rows = cmd.take_action(self.parse(cmd, args))
            self.assertEqual('Project ID', headers[-1])
            self.assertEqual(base.PROJECT_ID, rows[0][-1])

    def test_long_columns_keep_types_and_missing_fields(self):
        cmd = backup.ListBackup(self.app, None)
        headers, rows = cmd.take_action(self.parse(cmd, ['--long']))
        self.assertEqual(len(columns.LONG_COLUMNS), len(headers))
        self.assertEqual(headers[:7], columns.headers(columns.LIST_COLUMNS))
        third = dict(zip(headers, rows[2]))
        self.assertIsNone(third['Project ID'])
        self.assertIsNone(third['User ID'])
        self.assertIsNone(third['Object Count'])
        self.assertIs(False, third['Has Dependent Backups'])
        self.assertEqual('2748f2f2-4394-4e6e-af8d-8dd34496c024',
                         third['Volume ID'])
        first = dict(zip(headers, rows[0]))
        self.assertEqual('b23b579f08c84228b9b4673c46f0c442',
                         first['Project ID'])

    def test_bad_values_are_usage_errors(self):
        cmd = backup.ListBackup(self.app, None)
        for args in (['--status', 'broken'], ['--offset', '-1'],
                     ['--limit', 'ten'], ['--limit', '2147483648'],
                     ['--offset', '1.5'], ['--sort', 'name:up'],
                     ['--sort', 'colour']):
            self.assertRaises(osc_base.ParserException, self.parse, cmd,
                              args)

    def test_api_error_propagates_before_output(self):
        def failing(**kwargs):
            yield backup_mod.Backup(base.backup(1))
            raise exceptions.PaginationError('boom')
        self.backups.list.side_effect = failing
        cmd = backup.ListBackup(self.app, None)
        self.assertRaises(exceptions.PaginationError, cmd.take_action,
                          self.parse(cmd, []))
        self.assertTrue(gc.isenabled())

    def test_collector_paused_while_collecting_only(self):
        states = []

        def listing(**kwargs):
            states.append(gc.isenabled())
            yield backup_mod.Backup(base.backup(1))
        self.backups.list.side_effect = listing
        cmd = backup.ListBackup(self.app, None)
        cmd.take_action(self.parse(cmd, []))
        self.assertEqual([False], states)
        self.assertTrue(gc.isenabled())


class TestCountBackup(CommandTest):

    def test_count(self):
        cmd = backup.CountBackup(self.app, None)
        result = cmd.take_action(self.parse(cmd, ['--status-like', 'err']))
        self.assertEqual((('count',), (7,)), result)
        self.backups.count.assert_called_once_with(status_like='err',
                                                   all_projects=False)

    def test_count_takes_no_paging_options(self):
        cmd = backup.CountBackup(self.app, None)
        for args in (['--limit', '1'], ['--marker', 'm'], ['--sort', 'id']):
            self.assertRaises(osc_base.ParserException, self.parse, cmd,
                              args)


class TestShowBackup(CommandTest):

    def setUp(self):
        super().setUp()
        row = base.backup(1, description='{"DESC": "d", "INC": 1}',
                          metadata={'k': 'v'}, future='x',
                          links=[{'rel': 'self', 'href': 'h'}])
        self.backups.find.return_value = backup_mod.Backup(row)

    def test_name_or_id_and_scope_to_find(self):
        cmd = backup.ShowBackup(self.app, None)
        cmd.take_action(self.parse(cmd, ['nightly']))
        self.backups.find.assert_called_with('nightly', all_projects=False)
        cmd.take_action(self.parse(cmd, ['nightly', '--all-projects']))
        self.backups.find.assert_called_with('nightly', all_projects=True)
        cmd.take_action(self.parse(cmd, ['nightly', '--project', 'p',
                                         '--project-domain', 'd']))
        self.backups.find.assert_called_with(
            'nightly', all_projects=False, project='p', project_domain='d')

    def test_every_field_but_links_decoded(self):
        cmd = backup.ShowBackup(self.app, None)
        headers, values = cmd.take_action(self.parse(cmd, ['nightly']))
        shown = dict(zip(headers, values))
        self.assertNotIn('Links', shown)
        self.assertEqual('d', shown['Description'])
        self.assertIs(True, shown['Incremental'])
        self.assertEqual({'k': 'v'}, shown['Metadata']._value)
        self.assertEqual('x', shown['Future'])
        self.assertEqual('Future', headers[-1])

    def test_parent_inferred_for_incrementals_only(self):
        parent = backup_mod.Backup(base.backup(0, id=BACKUP_ID))
        self.backups.parent_of.return_value = parent
        cmd = backup.ShowBackup(self.app, None)
        headers, values = cmd.take_action(self.parse(cmd, ['nightly']))
        self.backups.parent_of.assert_called_once_with(
            self.backups.find.return_value)
        at = headers.index('Incremental')
        self.assertEqual('Parent (inferred)', headers[at + 1])
        self.assertEqual(BACKUP_ID, values[at + 1])
        self.assertEqual(len(headers), len(values))
        # No candidate: an empty cell (null in json).
        self.backups.parent_of.return_value = None
        args = self.parse(cmd, ['nightly'])
        headers, values = cmd.take_action(args)
        self.assertIsNone(values[headers.index('Parent (inferred)')]._value)
        args.formatter = 'json'
        headers, values = cmd.take_action(args)
        self.assertIsNone(values[headers.index('Parent (inferred)')])
        # A full backup: no row, no request.
        self.backups.parent_of.reset_mock()
        self.backups.find.return_value = backup_mod.Backup(base.backup(2))
        headers, values = cmd.take_action(self.parse(cmd, ['nightly']))
        self.assertNotIn('Parent (inferred)', headers)
        self.backups.parent_of.assert_not_called()

    def test_not_found_reworded(self):
        self.backups.find.side_effect = exceptions.NotFound(
            'no backup {name}; use {all_projects} or {project}',
            {'name': 'n', 'all_projects': 'all_projects',
             'project': 'project'}, terms=('all_projects', 'project'))
        cmd = backup.ShowBackup(self.app, None)
        e = self.assertRaises(exceptions.NotFound, cmd.run,
                              self.parse(cmd, ['n']))
        self.assertEqual('no backup n; use --all-projects or --project',
                         str(e))


class RealClientTest(osc_base.TestCommand, base.TestCase):
    """Commands on a real Client: errors and warnings in the CLI's words."""

    def setUp(self):
        super().setUp()
        self.app.stderr = io.StringIO()

    def use(self, client):
        self.app.client_manager.vbs = client

    def catalog_client(self, **kwargs):
        session = self.catalog_session([
            ('vbs', base.VBS_ROOT + '/v2/%s' % base.PROJECT_ID)])
        return client_mod.Client(session, **kwargs)

    def run_cmd(self, cls, args):
        """Run as OSC does: errors reworded, output formatted."""
        cmd = cls(self.app, None)
        parsed = self.check_parser(cmd, args, [])
        return cmd.run(parsed)

    def take(self, cls, args):
        """take_action's headers and rows."""
        cmd = cls(self.app, None)
        return cmd.take_action(self.check_parser(cmd, args, []))


class TestCLIWording(RealClientTest):

    def test_gate_names_the_options(self):
        self.use(self.client(api_version='3.30'))
        e = self.assertRaises(exceptions.UnsupportedMicroversion,
                              self.run_cmd, backup.ListBackup,
                              ['--name-like', 'db'])
        self.assertEqual('--name-like needs --os-vbs-backup-api-version '
                         '3.31 or later; the version in use is 3.30', str(e))
        self.assertEqual([], self.requests_mock.request_history)

    def test_count_gate(self):
        self.use(self.client(api_version='3.44'))
        e = self.assertRaises(exceptions.UnsupportedMicroversion,
                              self.run_cmd, backup.CountBackup, [])
        self.assertEqual('"vbs backup count" needs '
                         '--os-vbs-backup-api-version 3.45 or later; the '
                         'version in use is 3.44', str(e))

    def test_bad_times_name_the_option_and_send_nothing(self):
        self.use(self.client())
        for cls in (backup.ListBackup, backup.CountBackup):
            e = self.assertRaises(exceptions.InvalidParameter, self.run_cmd,
                                  cls, ['--created-before', '5y'])
            self.assertEqual("invalid --created-before '5y': unknown unit "
                             "'y' (use one of s, m, h, d, w)", str(e))
            e = self.assertRaises(
                exceptions.InvalidParameter, self.run_cmd, cls,
                ['--data-timestamp-after', '2026-02-01',
                 '--data-timestamp-before', '2026-01-01T01:00+01:00'])
            self.assertEqual(
                "invalid --data-timestamp-after '2026-02-01': "
                "2026-02-01T00:00:00Z is not earlier than "
                "--data-timestamp-before '2026-01-01T01:00+01:00' "
                "(2026-01-01T00:00:00Z): the window is empty", str(e))
            e = self.assertRaises(exceptions.InvalidParameter, self.run_cmd,
                                  cls, ['--created-after', '99999999d'])
            self.assertEqual("invalid --created-after '99999999d': the age "
                             "reaches before year 1", str(e))
        self.assertEqual([], [r.url for r in
                              self.requests_mock.request_history])

    def test_windowed_count_needs_no_345(self):
        from tests.unit.api import test_backups_windows as tbw
        from tests.unit import sorted_cinder as sc
        tbw.serve(self, sc.SortedCinder([sc.row(i) for i in range(9)]))
        self.use(self.client(api_version='3.0'))
        _headers, values = self.take(backup.CountBackup, [
            '--created-before', '2026-01-01T08:00:05'])
        self.assertEqual((5,), values)

    def test_marker_not_found(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, status_code=404, json={
            'itemNotFound': {'code': 404, 'message': 'gone'}})
        self.use(self.client())
        e = self.assertRaises(exceptions.MarkerNotFound, self.run_cmd,
                              backup.ListBackup, ['--marker', BACKUP_ID])
        self.assertEqual('--marker %s: no such backup (the server answered '
                         '404: gone)' % BACKUP_ID, str(e))


class TestProjectDomainAlone(RealClientTest):

    # The reason names another parameter: both are reworded.
    def test_message_names_both_options(self):
        self.use(self.client())
        e = self.assertRaises(exceptions.InvalidParameter, self.run_cmd,
                              backup.ListBackup,
                              ['--project-domain', 'Default'])
        self.assertEqual("invalid --project-domain 'Default': it only "
                         "qualifies --project, which is not given", str(e))

    def test_refused_before_any_request(self):
        self.use(self.client())
        e = self.assertRaises(exceptions.InvalidParameter, self.run_cmd,
                              backup.ListBackup,
                              ['--project-domain', 'Default'])
        self.assertTrue(str(e).startswith(
            "invalid --project-domain 'Default': "))
        self.assertEqual([], self.requests_mock.request_history)


class TestShowOnAClient(RealClientTest):

    def test_show_by_name(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([
            base.backup(1, name='nightly')]))
        self.use(self.client())
        headers, values = self.take(backup.ShowBackup, ['nightly'])
        self.assertEqual('bk-0001', dict(zip(headers, values))['ID'])
        self.assertEqual({'name': ['nightly'], 'limit': ['5']},
                         base.query_of(self.list_requests()[0]))

    def test_show_by_id(self):
        self.serve_versions()
        self.requests_mock.get(base.ENDPOINT + '/backups/' + BACKUP_ID,
                               json={'backup': base.backup(1, id=BACKUP_ID)})
        self.use(self.client())
        headers, values = self.take(backup.ShowBackup, [BACKUP_ID])
        self.assertEqual(BACKUP_ID, dict(zip(headers, values))['ID'])
        self.assertEqual([], self.list_requests())

    def test_not_found_hint_names_the_scope_options(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        self.use(self.catalog_client())
        e = self.assertRaises(exceptions.NotFound, self.run_cmd,
                              backup.ShowBackup, ['nightly'])
        self.assertEqual(
            "no backup with name or ID 'nightly' in project %s; an admin "
            "may look in every project with --all-projects or in one with "
            "--project" % base.PROJECT_ID, str(e))

    def test_all_projects_scope(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        self.use(self.client())
        e = self.assertRaises(exceptions.NotFound, self.run_cmd,
                              backup.ShowBackup,
                              ['nightly', '--all-projects'])
        self.assertEqual("no backup with name or ID 'nightly' in any "
                         "project", str(e))
        self.assertEqual(['1'], base.query_of(
            self.list_requests()[0])['all_tenants'])

    def test_project_scope(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([
            base.backup(1, name='nightly')]))
        self.use(self.client())
        self.run_cmd(backup.ShowBackup, ['nightly', '--project',
                                         OTHER_PROJECT])
        self.assertEqual({'name': ['nightly'], 'limit': ['5'],
                          'all_tenants': ['1'],
                          'project_id': [OTHER_PROJECT]},
                         base.query_of(self.list_requests()[0]))

    def test_several_matches(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([
            base.backup(1, name='n'), base.backup(2, name='n')]))
        self.use(self.client())
        e = self.assertRaises(exceptions.NoUniqueMatch, self.run_cmd,
                              backup.ShowBackup, ['n'])
        self.assertEqual(['bk-0001', 'bk-0002'], e.ids)


class TestScopeWarning(RealClientTest):

    def setUp(self):
        super().setUp()
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page(
            [base.backup(1)], count=1))
        self.use(self.catalog_client())

    def test_list_warns_in_option_words(self):
        headers, rows = self.take(backup.ListBackup, ['--all-projects'])
        self.assertEqual(1, len(list(rows)))
        self.assertEqual(
            'Warning: --all-projects was ignored by the server (it needs '
            'the admin role); only the backups of your project %s are '
            'listed\n' % base.PROJECT_ID, self.app.stderr.getvalue())

    def test_count_warns_too(self):
        self.assertEqual((('count',), (1,)),
                         self.take(backup.CountBackup, ['--all-projects']))
        self.assertTrue(self.app.stderr.getvalue().startswith(
            'Warning: --all-projects was ignored'))

    def test_no_warning_without_all_projects(self):
        self.run_cmd(backup.ListBackup, [])
        self.assertEqual('', self.app.stderr.getvalue())

    def test_project_without_owners_warns_and_lists(self):
        for cls in (backup.ListBackup, backup.CountBackup):
            self.app.stderr = io.StringIO()
            headers, rows = self.take(cls, ['--project', OTHER_PROJECT])
            self.assertEqual(1, len(list(rows)))
            self.assertEqual(
                'Warning: the server sent the backups without their owner, '
                'so --project %s could not be checked (without the admin '
                'role they are those of your project %s)\n'
                % (OTHER_PROJECT, base.PROJECT_ID),
                self.app.stderr.getvalue())

    def test_show_by_name_warns_as_list_does(self):
        headers, values = self.take(backup.ShowBackup,
                                    ['backup-1', '--all-projects'])
        self.assertEqual('bk-0001', values[headers.index('ID')])
        self.assertEqual(
            'Warning: --all-projects was ignored by the server (it needs '
            'the admin role); only the backups of your project %s are '
            'listed\n' % base.PROJECT_ID, self.app.stderr.getvalue())

    def test_show_not_found_in_your_project(self):
        def rows(request, context):
            # The name matches nothing; the scope's first row has no owner.
            found = [] if 'name' in request.qs else [base.backup(1)]
            return base.page(found)
        self.requests_mock.get(base.LIST_URL, json=rows)
        e = self.assertRaises(exceptions.NotFound, self.run_cmd,
                              backup.ShowBackup, ['gone', '--all-projects'])
        self.assertEqual("no backup with name or ID 'gone' in your project "
                         "%s" % base.PROJECT_ID, str(e))
        self.assertTrue(self.app.stderr.getvalue().startswith(
            'Warning: --all-projects was ignored by the server'))
        lookup, sample = self.list_requests()
        self.assertEqual({'all_tenants': ['1'], 'limit': ['1']},
                         base.query_of(sample))

    def test_show_not_found_in_any_project_for_an_admin(self):
        def rows(request, context):
            found = [] if 'name' in request.qs else [base.backup(1, **{
                'os-backup-project-attr:project_id': OTHER_PROJECT})]
            return base.page(found)
        self.requests_mock.get(base.LIST_URL, json=rows)
        e = self.assertRaises(exceptions.NotFound, self.run_cmd,
                              backup.ShowBackup, ['gone', '--all-projects'])
        self.assertEqual("no backup with name or ID 'gone' in any project",
                         str(e))
        self.assertEqual('', self.app.stderr.getvalue())

    def test_project_with_another_owner_is_an_error(self):
        self.requests_mock.get(base.LIST_URL, json=base.page([base.backup(
            1, **{'os-backup-project-attr:project_id': base.PROJECT_ID})]))
        e = self.assertRaises(exceptions.ScopeIgnored, self.run_cmd,
                              backup.ListBackup,
                              ['--project', OTHER_PROJECT])
        self.assertEqual(
            'the server did not keep --project %s: it answered with the '
            'backups of project %s' % (OTHER_PROJECT, base.PROJECT_ID),
            str(e))
