"""The OSC plugin contract and its settings.

What importing the plugin module costs is checked in a fresh interpreter:
tests/slow/test_plugin_imports.py.
"""

import argparse
import logging
import os
from unittest import mock

import fixtures

from vbsclient import client as client_mod
from vbsclient import exceptions
from vbsclient.osc import plugin
from vbsclient.osc import settings
from vbsclient.osc.v3 import errors

from tests.unit import base


class TestPluginContract(base.TestCase):

    def test_names_do_not_collide_with_otcextensions(self):
        self.assertEqual('vbs', plugin.API_NAME)
        self.assertNotEqual('os_vbs_api_version', plugin.API_VERSION_OPTION)
        self.assertEqual('3', plugin.DEFAULT_API_VERSION)
        self.assertIn(plugin.DEFAULT_API_VERSION, plugin.API_VERSIONS)

    def test_options_keep_their_own_keys(self):
        parser = plugin.build_option_parser(argparse.ArgumentParser())
        args = parser.parse_args([
            '--os-vbs-backup-api-version', 'latest',
            '--os-vbs-endpoint-override', base.ENDPOINT,
            '--os-vbs-timeout', '5', '--os-vbs-page-concurrency', '2'])
        self.assertFalse(hasattr(args, 'os_vbs_api_version'))
        for setting, value in ((settings.VERSION, 'latest'),
                               (settings.ENDPOINT_OVERRIDE, base.ENDPOINT),
                               (settings.TIMEOUT, '5'),
                               (settings.PAGE_CONCURRENCY, '2')):
            self.assertEqual(value, getattr(args, setting.dest))
            # openstacksdk folds keys ending in "timeout" into api_timeout
            # and OSC reads API_VERSION_OPTION itself: neither may match.
            self.assertFalse(setting.dest.endswith('timeout'))
            self.assertNotEqual(plugin.API_VERSION_OPTION,
                                'os_' + setting.dest)

    def test_help_names_the_variables(self):
        parser = plugin.build_option_parser(argparse.ArgumentParser())
        [timeout] = [a for a in parser._actions
                     if a.dest == settings.TIMEOUT.dest]
        self.assertTrue(timeout.help.endswith(
            '(Env: OS_VBS_TIMEOUT_SECONDS, deprecated: OS_VBS_TIMEOUT; '
            'clouds.yaml: api_timeout)'), timeout.help)

    def test_the_environment_is_left_alone(self):
        self.useFixture(fixtures.EnvironmentVariable('OS_VBS_TIMEOUT', '9'))
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VBS_TIMEOUT_SECONDS', '8'))
        before = dict(os.environ)
        plugin.build_option_parser(argparse.ArgumentParser())
        self.assertEqual(before, dict(os.environ))

    def instance(self, config, api_version='3'):
        instance = mock.Mock()
        instance._api_version = {'vbs': api_version}
        instance.get_configuration.return_value = config
        return instance

    def test_make_client(self):
        client = plugin.make_client(self.instance({
            'vbs_endpoint_override_option': base.ENDPOINT,
            'vbs_backup_api_version': '3.44', 'api_timeout': '2.5',
            'vbs_page_concurrency': '3'}))
        self.assertIsInstance(client, client_mod.Client)
        self.assertEqual(2.5, client.timeout)
        self.assertEqual('3.44', client.requested_version)
        self.assertEqual(3, client.page_concurrency)
        self.assertEqual(base.ENDPOINT, client.endpoint)

    def test_defaults(self):
        client = plugin.make_client(self.instance({}))
        self.assertEqual(60, client.timeout)
        self.assertIsNone(client.requested_version)
        self.assertEqual(4, client.page_concurrency)

    def test_endpoint_override_is_used_stripped(self):
        # A trailing space once reached the URL and drew a 404 that
        # blamed the server.
        instance = self.instance({
            'vbs_endpoint_override_option': ' %s/ \t' % base.ENDPOINT})
        instance.session = self.token_session()
        client = plugin.make_client(instance)
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        self.assertEqual(base.ENDPOINT, client.endpoint)
        self.assertEqual([], list(client.backups.list()))
        self.assertEqual(['%s/backups/detail' % base.ENDPOINT],
                         [r.url.split('?')[0] for r in self.list_requests()])


class TestSettings(base.TestCase):

    def setUp(self):
        super().setUp()
        for setting in (settings.VERSION, settings.TIMEOUT,
                        settings.PAGE_CONCURRENCY,
                        settings.ENDPOINT_OVERRIDE):
            self.useFixture(fixtures.EnvironmentVariable(setting.setting.env))
        self.useFixture(fixtures.EnvironmentVariable('OS_VBS_TIMEOUT'))

    def test_option_then_variable_then_clouds_yaml(self):
        config = {'vbs_backup_api_version_option': '3.40',
                  'vbs_backup_api_version': '3.20'}
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VBS_BACKUP_API_VERSION', '3.30'))
        self.assertEqual('3.40', settings.api_version(config))
        del config['vbs_backup_api_version_option']
        self.assertEqual('3.30', settings.api_version(config))
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VBS_BACKUP_API_VERSION'))
        self.assertEqual('3.20', settings.api_version(config))

    def test_deprecated_timeout_variable_read_after_the_new_one(self):
        logs = self.useFixture(fixtures.FakeLogger(level=logging.WARNING))
        self.useFixture(fixtures.EnvironmentVariable('OS_VBS_TIMEOUT', '9'))
        self.assertEqual(9, settings.timeout({'api_timeout': 7}))
        self.assertEqual('Warning: OS_VBS_TIMEOUT is deprecated: set '
                         'OS_VBS_TIMEOUT_SECONDS instead\n', logs.output)
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VBS_TIMEOUT_SECONDS', '8'))
        self.assertEqual(8, settings.timeout({'api_timeout': 7}))
        self.assertEqual(5, settings.timeout({'vbs_timeout_option': '5'}))
        # Named only once, and only when read.
        self.assertEqual(1, logs.output.count('deprecated'))

    def test_negotiating_settings(self):
        for value in (None, '', '3', 'latest', '3.latest', ' 3 '):
            self.assertIsNone(settings.api_version(
                {'vbs_backup_api_version': value}), value)

    def test_explicit_settings(self):
        for value in ('3.45', '3.0'):
            self.assertEqual(value, settings.api_version(
                {'vbs_backup_api_version_option': value}))

    def test_bad_values_name_their_source(self):
        cases = [
            (settings.api_version, 'vbs_backup_api_version_option', '2',
             "invalid --os-vbs-backup-api-version '2' (from "
             "--os-vbs-backup-api-version): use 3, 3.N or latest"),
            (settings.api_version, 'vbs_backup_api_version', '3.x',
             "invalid --os-vbs-backup-api-version '3.x' (from clouds.yaml "
             "vbs_backup_api_version): use 3, 3.N or latest"),
            (settings.timeout, 'vbs_timeout_option', 'abc',
             "invalid --os-vbs-timeout 'abc' (from --os-vbs-timeout): give "
             "a number of seconds above 0"),
            (settings.timeout, 'api_timeout', 'inf',
             "invalid --os-vbs-timeout 'inf' (from clouds.yaml api_timeout): "
             "give a number of seconds above 0"),
            (settings.page_concurrency, 'vbs_page_concurrency', '0',
             "invalid --os-vbs-page-concurrency '0' (from clouds.yaml "
             "vbs_page_concurrency): give an integer from 1 to 64"),
            (settings.endpoint_override, 'vbs_endpoint_override_option',
             'cinder.example.com/v3',
             "invalid --os-vbs-endpoint-override 'cinder.example.com/v3' "
             "(from --os-vbs-endpoint-override): give an http:// or "
             "https:// URL"),
            (settings.endpoint_override, 'vbs_endpoint_override',
             'ftp://cinder.example.com/v3',
             "invalid --os-vbs-endpoint-override "
             "'ftp://cinder.example.com/v3' (from clouds.yaml "
             "vbs_endpoint_override): give an http:// or https:// URL"),
        ]
        for func, key, value, message in cases:
            e = self.assertRaises(exceptions.InvalidSetting, func,
                                  {key: value})
            # The settings raise in the library's words; commands show
            # them reworded.
            self.assertEqual(message, errors.in_cli_words(e))
            self.assertTrue(str(e).startswith('invalid %s '
                                              % e.setting), str(e))
        for bad in ('4.1', 'abc', '3.4.5', '-3'):
            self.useFixture(fixtures.EnvironmentVariable(
                'OS_VBS_BACKUP_API_VERSION', bad))
            e = self.assertRaises(exceptions.InvalidSetting,
                                  settings.api_version, {})
            self.assertIn('(from OS_VBS_BACKUP_API_VERSION)', str(e))
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VBS_TIMEOUT_SECONDS', '-1'))
        e = self.assertRaises(exceptions.InvalidSetting, settings.timeout, {})
        self.assertIn("'-1' (from OS_VBS_TIMEOUT_SECONDS)", str(e))
