"""The OSC plugin contract and the cost of importing the plugin module."""

import argparse
import subprocess
import sys
from unittest import mock

from vbsclient.api import backups
from vbsclient.api import exceptions
from vbsclient.osc import plugin

from tests.unit import base


class TestPluginContract(base.TestCase):

    def test_names_do_not_collide_with_otcextensions(self):
        self.assertEqual('vbs', plugin.API_NAME)
        self.assertEqual('os_vbs_backup_api_version',
                         plugin.API_VERSION_OPTION)
        self.assertEqual('3', plugin.DEFAULT_API_VERSION)
        self.assertIn(plugin.DEFAULT_API_VERSION, plugin.API_VERSIONS)

    def test_options_and_environment(self):
        env = {'OS_VBS_BACKUP_API_VERSION': '3.40',
               'OS_VBS_ENDPOINT_OVERRIDE': base.ENDPOINT,
               'OS_VBS_API_VERSION': '2'}
        with mock.patch.dict('os.environ', env):
            parser = plugin.build_option_parser(argparse.ArgumentParser())
        args = parser.parse_args([])
        self.assertEqual('3.40', args.os_vbs_backup_api_version)
        self.assertEqual(base.ENDPOINT, args.os_vbs_endpoint_override)
        self.assertFalse(hasattr(args, 'os_vbs_api_version'))
        args = parser.parse_args(['--os-vbs-backup-api-version', 'latest'])
        self.assertEqual('latest', args.os_vbs_backup_api_version)

    def test_check_api_version(self):
        for good in ('3', '3.0', '3.45', 'latest', '3.latest'):
            self.assertTrue(plugin.check_api_version(good))
        self.assertRaises(ValueError, plugin.check_api_version, '2.0')

    def test_negotiating_settings(self):
        for value in (None, '', '3', 'latest', '3.latest', ' 3 '):
            self.assertIsNone(plugin.parse_version_setting(value), value)

    def test_explicit_settings(self):
        self.assertEqual('3.45', plugin.parse_version_setting('3.45'))
        self.assertEqual('3.0', plugin.parse_version_setting('3.0'))

    def test_invalid_settings(self):
        for value in ('2', '4.1', '3.x', 'abc', '3.4.5', '-3'):
            e = self.assertRaises(ValueError, plugin.parse_version_setting,
                                  value)
            self.assertIn('use 3, 3.N or latest', str(e))

    def test_make_client(self):
        instance = mock.Mock()
        instance._api_version = {'vbs': '3.44'}
        instance.get_configuration.return_value = {
            'vbs_endpoint_override': base.ENDPOINT, 'api_timeout': '2.5'}
        client = plugin.make_client(instance)
        self.assertEqual(2.5, client.timeout)
        self.assertIsInstance(client, backups.BackupAPI)
        self.assertEqual('3.44', client.explicit_version)
        self.assertEqual(base.ENDPOINT, client.endpoint_override)
        self.assertIs(instance.session, client.session)
        self.assertEqual(instance.region_name, client.region_name)
        self.assertEqual(instance.interface, client.interface)

    def test_timeout_default_and_bad_values(self):
        instance = mock.Mock()
        instance._api_version = {}
        instance.get_configuration.return_value = {}
        self.assertEqual(60, plugin.make_client(instance).timeout)
        for bad in ('0', '-1', 'soon', 'inf'):
            instance.get_configuration.return_value = {'api_timeout': bad}
            e = self.assertRaises(exceptions.VBSError, plugin.make_client,
                                  instance)
            self.assertIn('invalid --os-vbs-timeout', str(e))


class TestImportCost(base.TestCase):

    def test_plugin_module_imports_nothing_new_on_top_of_osc(self):
        # OSC's client manager imports every plugin at its own import:
        # keep this one out of it, then import it on top of OSC.
        code = (
            'import sys\n'
            'sys.modules["vbsclient"] = None\n'
            'import openstackclient.shell\n'
            'del sys.modules["vbsclient"]\n'
            'before = set(sys.modules)\n'
            'import vbsclient.osc.plugin as p\n'
            'p.check_api_version("3.45")\n'
            'print("\\n".join(sorted(set(sys.modules) - before)))\n')
        out = subprocess.run([sys.executable, '-c', code], check=True,
                             capture_output=True, text=True).stdout.split()
        self.assertEqual(['vbsclient', 'vbsclient.osc',
                          'vbsclient.osc.plugin'], sorted(out))
