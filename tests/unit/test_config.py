"""The client's settings: checks, and where a cloud keeps them."""

import warnings

from vbsclient import config
from vbsclient import exceptions

from tests.unit import base


class TestChecks(base.TestCase):

    def test_api_version(self):
        for value in (None, '3', ' 3 ', 'latest', '3.latest'):
            self.assertIsNone(config.api_version(value), value)
        for value, expected in (('3.45', '3.45'), ('3.0', '3.0'),
                                (' 3.9 ', '3.9'), (3.1, '3.1')):
            self.assertEqual(expected, config.api_version(value))
        for bad in ('2', '4.1', 'abc', '3.4.5', '-3', '3.x'):
            self.assertRaises(ValueError, config.api_version, bad)

    def test_endpoint_override_stripped(self):
        self.assertIsNone(config.endpoint_override(None))
        self.assertEqual('https://h/v3/p',
                         config.endpoint_override(' https://h/v3/p \n'))
        for bad in ('h/v3', 'ftp://h/v3', 'https://', ''):
            self.assertRaises(ValueError, config.endpoint_override, bad)

    def test_timeout(self):
        self.assertEqual(60.0, config.timeout(None))
        self.assertEqual(2.5, config.timeout('2.5'))
        for bad in (0, -1, 'inf', 'nan', 'abc', []):
            self.assertRaises(ValueError, config.timeout, bad)

    def test_page_concurrency(self):
        self.assertEqual(4, config.page_concurrency(None))
        self.assertEqual(64, config.page_concurrency(' 64 '))
        self.assertEqual(1, config.page_concurrency(1))
        for bad in (0, 65, True, '2.5', 'x', 2.0):
            self.assertRaises(ValueError, config.page_concurrency, bad)

    def test_check_names_setting_and_source(self):
        e = self.assertRaises(exceptions.InvalidSetting, config.check,
                              'timeout', 'abc', 'clouds.yaml api_timeout')
        self.assertEqual("invalid timeout 'abc' (from clouds.yaml "
                         "api_timeout): give a number of seconds above 0",
                         str(e))
        self.assertEqual("invalid --os-vbs-timeout 'abc' (from clouds.yaml "
                         "api_timeout): give a number of seconds above 0",
                         e.reword({'timeout': '--os-vbs-timeout'}))


class TestRead(base.TestCase):

    def test_keyword_then_variable_then_clouds_yaml(self):
        cloud = {'vbs_backup_api_version': '3.20', 'api_timeout': 5,
                 'vbs_page_concurrency': '2',
                 'vbs_endpoint_override': 'https://h/v3/p'}
        env = {'OS_VBS_BACKUP_API_VERSION': '3.30', 'OS_VBS_TIMEOUT': ' '}
        found = config.read(cloud, {'api_version': '3.40'}, env)
        self.assertEqual({
            'api_version': ('3.40', 'api_version'),
            'timeout': (5, 'clouds.yaml api_timeout'),
            'page_concurrency': ('2', 'clouds.yaml vbs_page_concurrency'),
            'endpoint_override': ('https://h/v3/p',
                                  'clouds.yaml vbs_endpoint_override')},
            found)
        found = config.read(cloud, {}, env)
        self.assertEqual(('3.30', 'OS_VBS_BACKUP_API_VERSION'),
                         found['api_version'])

    def test_deprecated_variable_after_the_variable(self):
        setting = config.BY_NAME['timeout']
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            self.assertEqual(
                ('9', 'OS_VBS_TIMEOUT'),
                config.find(setting, None, 'timeout', {'api_timeout': 7},
                            {'OS_VBS_TIMEOUT': '9'}))
        self.assertEqual(['OS_VBS_TIMEOUT is deprecated: set '
                          'OS_VBS_TIMEOUT_SECONDS instead'],
                         [str(w.message) for w in caught])
        self.assertEqual([config.DeprecatedVariable],
                         [w.category for w in caught])
        env = {'OS_VBS_TIMEOUT': '9', 'OS_VBS_TIMEOUT_SECONDS': '8'}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            self.assertEqual({'timeout': ('8', 'OS_VBS_TIMEOUT_SECONDS')},
                             config.read({}, {}, env))
            self.assertEqual({'timeout': (5, 'timeout')},
                             config.read({}, {'timeout': 5}, env))
        self.assertEqual([], caught)

    def test_no_variable_openstacksdk_folds_into_its_timeout(self):
        # openstacksdk makes every key ending in "timeout" of a cloud
        # built from OS_* variables its session timeout.
        for setting in config.SETTINGS:
            self.assertFalse(setting.env.lower().endswith('timeout'),
                             setting.env)

    def test_nothing_set(self):
        self.assertEqual({}, config.read({}, {'timeout': None}, {}))
