"""The list and count commands with a mocked API."""

import gc
from unittest import mock

from osc_lib.test import base as osc_base

from vbsclient import exceptions
from vbsclient.osc.v3 import arguments
from vbsclient.osc.v3 import backup
from vbsclient.osc.v3 import columns

from tests.unit import base


class CommandTest(osc_base.TestCommand):

    def setUp(self):
        super().setUp()
        self.api = mock.Mock()
        self.api.list.return_value = iter(base.vendor_example()['backups'])
        self.api.count.return_value = (7, [])
        self.api.volumes.find.return_value = ['vol-1-id']
        self.api.find.return_value = [{'id': 'marker-id'}]
        self.api.project_id = 'own-project'
        self.api.microversion = '3.64'
        self.app.client_manager.vbs = self.api

    def parse(self, cmd, args):
        return self.check_parser(cmd, args, [])


class TestListBackup(CommandTest):

    def test_all_filters_map_to_api_query(self):
        cmd = backup.ListBackup(self.app, None)
        args = self.parse(cmd, [
            '--name', 'n', '--status', 'ERROR', '--volume', 'v1',
            '--name-like', 'a&b', '--status-like', 'err',
            '--volume-like', '27', '--marker', 'm', '--offset', '3',
            '--limit', '0'])
        cmd.take_action(args)
        filters = {'name': 'n', 'status': 'error', 'volume_id': 'vol-1-id',
                   'name~': 'a&b', 'status~': 'err', 'volume_id~': '27'}
        self.api.list.assert_called_once_with(
            filters, limit=0, marker='marker-id', offset=3, sort=None,
            on_page=None, count_total=False, labels=arguments.LABELS)
        self.api.volumes.find.assert_called_once_with('v1', 5)
        self.api.find.assert_called_once_with('m', 5)

    def test_gates_refuse_before_any_name_is_looked_up(self):
        self.api.check_gates.side_effect = exceptions.FilterNeedsMicroversion(
            'sort:name', '3.37', '3.30', '--sort name')
        cmd = backup.ListBackup(self.app, None)
        args = self.parse(cmd, ['--volume', 'db-volume', '--marker', 'm',
                                '--sort', 'name', '--name-like', 'x'])
        e = self.assertRaises(exceptions.FilterNeedsMicroversion,
                              cmd.take_action, args)
        self.assertIn('--sort name needs', str(e))
        self.api.check_gates.assert_called_once_with(
            ['volume_id', 'name~', 'sort:name'], arguments.LABELS)
        self.api.volumes.find.assert_not_called()
        self.api.find.assert_not_called()
        self.api.list.assert_not_called()

    def test_no_filters(self):
        cmd = backup.ListBackup(self.app, None)
        cmd.take_action(self.parse(cmd, []))
        self.api.list.assert_called_once_with(
            {}, limit=None, marker=None, offset=None, sort=None,
            on_page=None, count_total=False, labels=arguments.LABELS)

    def test_default_columns(self):
        cmd = backup.ListBackup(self.app, None)
        headers, rows = cmd.take_action(self.parse(cmd, []))
        self.assertEqual(('ID', 'Name', 'Description', 'Status', 'Size',
                          'Incremental', 'Created At'), headers)
        self.assertEqual(
            ('1d1139d8-8989-49d3-8aa1-83eb691e6db2', None, None, 'error', 1,
             False, '2013-06-27T08:48:03.000000'), rows[0])

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
                     ['--offset', '1.5']):
            self.assertRaises(osc_base.ParserException, self.parse, cmd,
                              args)

    def test_api_error_propagates_before_output(self):
        def failing(*args, **kwargs):
            yield base.backup(1)
            raise exceptions.PaginationError('boom')
        self.api.list.side_effect = failing
        cmd = backup.ListBackup(self.app, None)
        self.assertRaises(exceptions.PaginationError, cmd.take_action,
                          self.parse(cmd, []))
        self.assertTrue(gc.isenabled())

    def test_collector_paused_while_collecting_only(self):
        states = []

        def listing(*args, **kwargs):
            states.append(gc.isenabled())
            yield base.backup(1)
        self.api.list.side_effect = listing
        cmd = backup.ListBackup(self.app, None)
        cmd.take_action(self.parse(cmd, []))
        self.assertEqual([False], states)
        self.assertTrue(gc.isenabled())


class TestCountBackup(CommandTest):

    def test_count(self):
        cmd = backup.CountBackup(self.app, None)
        result = cmd.take_action(self.parse(cmd, ['--status-like', 'err']))
        self.assertEqual((('count',), (7,)), result)
        self.api.count.assert_called_once_with({'status~': 'err'},
                                               labels=arguments.LABELS)


class TestVendorDescription(base.TestCase):

    def test_desc_and_inc(self):
        self.assertEqual(('nightly', True), columns.vendor_description(
            '{"DESC": "nightly", "INC": 1}', False))
        self.assertEqual(('full', False), columns.vendor_description(
            '{"DESC": "full", "INC": "0"}', True))

    def test_desc_without_usable_inc_keeps_server_flag(self):
        self.assertEqual(('x', True), columns.vendor_description(
            '{"DESC": "x"}', True))
        self.assertEqual(('x', False), columns.vendor_description(
            '{"DESC": "x", "INC": true}', False))

    def test_other_descriptions_unchanged(self):
        for text in (None, '', 'plain', '{not json', '{"desc": 1}', '[1]',
                     '{"a": 1}'):
            self.assertEqual((text, False),
                             columns.vendor_description(text, False))

    def test_row_uses_unpacked_values(self):
        row = columns.row(
            base.backup(1, description='{"DESC": "d", "INC": 1}'),
            columns.LIST_COLUMNS)
        self.assertEqual('d', row[2])
        self.assertIs(True, row[5])
