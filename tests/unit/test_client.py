"""Client: settings, the endpoint, the microversion chosen once, and
from_cloud."""

import os
import threading

import fixtures
from keystoneauth1 import fixture as ksa_fixture

from vbsclient.api import backups
from vbsclient.api.http import endpoint as endpoint_mod
from vbsclient import client as client_mod
from vbsclient import exceptions

from tests.unit import base

# Password auth against the mocked Keystone of base.catalog_session: the
# token auth types differ between openstacksdk releases (3.3.0 sends
# "None" for an admin_token's token).
CLOUDS_YAML = """
clouds:
  test:
    auth:
      auth_url: %(auth_url)s
      username: user
      password: pw
      project_id: %(project_id)s
      user_domain_id: default
    region_name: RegionOne
    vbs_page_concurrency: 2
    vbs_backup_api_version: '3.40'
"""


class TestSettings(base.TestCase):

    def test_defaults(self):
        client = client_mod.Client(self.token_session())
        self.assertEqual(60, client.timeout)
        self.assertEqual(4, client.page_concurrency)
        self.assertIsNone(client.requested_version)
        self.assertIsInstance(client.backups, backups.BackupManager)
        # Nothing is sent until an operation needs it.
        self.assertEqual([], self.requests_mock.request_history)

    def test_negotiating_versions(self):
        for value in (None, '3', 'latest', '3.latest'):
            self.assertIsNone(self.client(api_version=value)
                              .requested_version, value)
        self.assertEqual('3.9', self.client(api_version='3.9')
                         .requested_version)

    def test_bad_settings_name_the_keyword(self):
        for kwargs, message in (
                ({'api_version': '2.0'},
                 "invalid api_version '2.0' (from api_version): use 3, "
                 "3.N or latest"),
                ({'timeout': 0},
                 "invalid timeout '0' (from timeout): give a number of "
                 "seconds above 0"),
                ({'page_concurrency': 65},
                 "invalid page_concurrency '65' (from page_concurrency): "
                 "give an integer from 1 to 64"),
                ({'endpoint_override': 'vbs.example.test/v3'},
                 "invalid endpoint_override 'vbs.example.test/v3' (from "
                 "endpoint_override): give an http:// or https:// URL")):
            e = self.assertRaises(exceptions.InvalidSetting,
                                  client_mod.Client, self.token_session(),
                                  **kwargs)
            self.assertEqual(message, str(e))
        self.assertEqual([], self.requests_mock.request_history)

    def test_endpoint_override_stripped(self):
        client = self.client(endpoint_override=' %s/ ' % base.ENDPOINT)
        self.assertEqual(base.ENDPOINT, client.endpoint)

    def test_timeout_reaches_every_request(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        list(self.client(timeout=7.5).backups.list())
        self.assertEqual(2, len(self.requests_mock.request_history))
        for req in self.requests_mock.request_history:
            self.assertEqual(7.5, req.timeout)


class TestMicroversion(base.TestCase):

    def test_negotiates_server_max_below_client_max(self):
        self.serve_versions(max_version='3.50')
        self.assertEqual('3.50', self.client().microversion)

    def test_negotiation_capped_at_client_max(self):
        self.serve_versions(max_version='3.71')
        self.assertEqual('3.64', self.client().microversion)

    def test_chosen_once(self):
        versions = self.serve_versions()
        client = self.client()
        self.assertEqual(client.microversion, client.microversion)
        self.assertEqual(1, versions.call_count)

    def test_explicit_version_in_range_is_used(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        list(self.client(api_version='3.40').backups.list())
        [req] = self.list_requests()
        self.assertEqual('volume 3.40', req.headers['OpenStack-API-Version'])

    def test_explicit_version_above_server_refused_before_listing(self):
        self.serve_versions()
        e = self.assertRaises(exceptions.VersionNotSupported, list,
                              self.client(api_version='3.72').backups.list())
        self.assertEqual('VBS backup API version 3.72 is not supported by '
                         'the server (it supports 3.0 to 3.71)', str(e))
        self.assertEqual([], self.list_requests())

    def test_server_minimum_above_client_max(self):
        self.serve_versions(min_version='3.70', max_version='3.71')
        self.assertRaises(exceptions.VersionNotSupported,
                          lambda: self.client().microversion)


class TestCheckGates(base.TestCase):

    def test_ungated_parameters_need_no_discovery(self):
        self.client().check_gates(['name', 'status', 'volume',
                                   'sort:created_at'])
        self.assertEqual([], self.requests_mock.request_history)

    def test_explicit_version_checked_without_a_request(self):
        client = self.client(api_version='3.30')
        e = self.assertRaises(exceptions.UnsupportedMicroversion,
                              client.check_gates, ['status_like'])
        self.assertEqual('status_like', e.param)
        self.assertEqual([], self.requests_mock.request_history)

    def test_negotiated_gate_needs_one_discovery(self):
        versions_doc = self.serve_versions(max_version='3.30')
        client = self.client()
        self.assertRaises(exceptions.UnsupportedMicroversion,
                          client.check_gates, ['status_like'])
        self.assertEqual(1, versions_doc.call_count)
        self.assertEqual([], self.list_requests())

    def test_negotiate_false_defers_the_check(self):
        client = self.client()
        client.check_gates(['name_like'], negotiate=False)
        self.assertEqual([], self.requests_mock.request_history)


class TestFromCloud(base.TestCase):

    def setUp(self):
        super().setUp()
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'clouds.yaml')
        with open(path, 'w') as f:
            f.write(CLOUDS_YAML % {'auth_url': base.AUTH_URL,
                                   'project_id': base.PROJECT_ID})
        # Keystone's answer, with a catalog holding the VBS endpoint.
        self.catalog_session([('vbs', base.ENDPOINT)])
        self.requests_mock.get(base.AUTH_URL,
                               json=ksa_fixture.V3Discovery(base.AUTH_URL))
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_CLIENT_CONFIG_FILE', path))
        for name in ('OS_CLOUD', 'OS_VBS_BACKUP_API_VERSION',
                     'OS_VBS_ENDPOINT_OVERRIDE', 'OS_VBS_TIMEOUT',
                     'OS_VBS_TIMEOUT_SECONDS',
                     'OS_VBS_PAGE_CONCURRENCY', 'OS_AUTH_URL', 'OS_TOKEN',
                     'OS_AUTH_TYPE', 'OS_ENDPOINT'):
            self.useFixture(fixtures.EnvironmentVariable(name))

    def test_clouds_yaml_settings(self):
        client = client_mod.Client.from_cloud('test')
        self.assertEqual('3.40', client.requested_version)
        self.assertEqual(2, client.page_concurrency)
        self.assertEqual(60, client.timeout)
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        self.assertEqual([], list(client.backups.list()))
        [req] = self.list_requests()
        self.assertEqual(base.TOKEN, req.headers['X-Auth-Token'])
        self.assertEqual('volume 3.40', req.headers['OpenStack-API-Version'])

    def test_keyword_then_variable_then_clouds_yaml(self):
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VBS_BACKUP_API_VERSION', '3.30'))
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VBS_TIMEOUT_SECONDS', '9'))
        client = client_mod.Client.from_cloud('test', api_version='3.20')
        self.assertEqual('3.20', client.requested_version)
        self.assertEqual(9, client.timeout)
        client = client_mod.Client.from_cloud('test')
        self.assertEqual('3.30', client.requested_version)

    def test_bad_value_names_its_source(self):
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_VBS_PAGE_CONCURRENCY', 'many'))
        e = self.assertRaises(exceptions.InvalidSetting,
                              client_mod.Client.from_cloud, 'test')
        self.assertEqual("invalid page_concurrency 'many' (from "
                         "OS_VBS_PAGE_CONCURRENCY): give an integer from 1 "
                         "to 64", str(e))

    def test_unknown_cloud_is_cloud_not_found(self):
        e = self.assertRaises(exceptions.CloudNotFound,
                              client_mod.Client.from_cloud, 'nope')
        self.assertIsInstance(e, exceptions.InvalidSetting)
        self.assertEqual('nope', e.cloud)
        self.assertEqual([os.environ['OS_CLIENT_CONFIG_FILE']],
                         list(e.files))
        self.assertEqual("invalid cloud 'nope' (from the name given): no "
                         "such cloud in %s" % e.files[0], str(e))
        self.useFixture(fixtures.EnvironmentVariable('OS_CLOUD', 'gone'))
        e = self.assertRaises(exceptions.CloudNotFound,
                              client_mod.Client.from_cloud)
        self.assertIn("invalid cloud 'gone' (from OS_CLOUD)", str(e))

    def test_no_clouds_yaml_at_all(self):
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_CLIENT_CONFIG_FILE', '/nonexistent/clouds.yaml'))
        self.useFixture(fixtures.EnvironmentVariable('HOME', '/nonexistent'))
        self.useFixture(fixtures.MockPatch(
            'openstack.config.loader.CONFIG_FILES', [
                '/nonexistent/clouds.yaml', '/nonexistent2/clouds.yaml']))
        e = self.assertRaises(exceptions.CloudNotFound,
                              client_mod.Client.from_cloud, 'vbs-local')
        self.assertEqual((), e.files)
        self.assertEqual("invalid cloud 'vbs-local' (from the name given): "
                         "no clouds.yaml found in /nonexistent, "
                         "/nonexistent2", str(e))

    def test_bad_auth_settings_are_invalid_setting(self):
        for yaml, why in (
                ('  test:\n    auth:\n      username: u\n', 'auth_url'),
                ('  test:\n    auth_type: nosuch\n', 'nosuch')):
            path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                'clouds.yaml')
            with open(path, 'w') as f:
                f.write('clouds:\n' + yaml)
            self.useFixture(fixtures.EnvironmentVariable(
                'OS_CLIENT_CONFIG_FILE', path))
            e = self.assertRaises(exceptions.InvalidSetting,
                                  client_mod.Client.from_cloud, 'test')
            self.assertEqual('cloud', e.setting)
            self.assertIn("invalid cloud 'test' (from the name given): its "
                          "authentication: ", str(e))
            self.assertIn(why, str(e))

    def test_cloud_from_the_environment(self):
        for name, value in (('OS_CLIENT_CONFIG_FILE', '/nonexistent'),
                            ('OS_AUTH_TYPE', 'admin_token'),
                            ('OS_ENDPOINT', base.ENDPOINT),
                            ('OS_TOKEN', base.TOKEN),
                            ('OS_VBS_PAGE_CONCURRENCY', '3')):
            self.useFixture(fixtures.EnvironmentVariable(name, value))
        client = client_mod.Client.from_cloud()
        self.assertEqual(3, client.page_concurrency)
        self.assertIsNone(client.requested_version)
        self.assertEqual(base.ENDPOINT, client.endpoint)


class TestSharedBetweenThreads(base.TestCase):
    """A fresh Client shared by 8 threads that start listing at once."""

    THREADS = 8
    CINDER = 'https://cinder.example.test/v3/' + base.PROJECT_ID

    def run_threads(self, client):
        barrier = threading.Barrier(self.THREADS)
        results, errors = {}, []

        def work(n):
            try:
                barrier.wait()
                if n % 2:
                    results[n] = [b.id for b in client.backups.list()]
                else:
                    results[n] = [v['id'] for v in client.volumes.list()]
            except Exception as e:  # reported below, with the thread
                errors.append((n, e))
        threads = [threading.Thread(target=work, args=(n,))
                   for n in range(self.THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual([], errors)
        self.assertEqual(
            {n: ['bk-0001'] if n % 2 else ['vol-1']
             for n in range(self.THREADS)}, results)

    def serve(self, volume_endpoint):
        self.versions = self.serve_versions()
        self.requests_mock.get(base.LIST_URL,
                               json=base.page([base.backup(1)]))
        self.requests_mock.get(volume_endpoint + '/volumes/detail',
                               json={'volumes': [{'id': 'vol-1'}]})
        self.resolves = self.useFixture(fixtures.MockPatch(
            'vbsclient.api.http.endpoint.resolve',
            side_effect=endpoint_mod.resolve)).mock

    def assertEachRequest(self, volume_endpoint, volume_version):
        # Discovered once, each endpoint resolved once (VBS, volume).
        self.assertEqual(1, self.versions.call_count)
        self.assertEqual(2, self.resolves.call_count)
        expected = {
            base.VERSION_URL: None,
            base.LIST_URL: 'volume 3.64',
            volume_endpoint + '/volumes/detail': volume_version}
        sent = [r for r in self.requests_mock.request_history
                if r.method == 'GET']
        self.assertEqual(1 + self.THREADS, len(sent))
        for req in sent:
            url = req.url.split('?')[0]
            self.assertIn(url, expected)
            self.assertEqual(base.TOKEN, req.headers['X-Auth-Token'], url)
            self.assertEqual(expected[url],
                             req.headers.get('OpenStack-API-Version'), url)
            self.assertEqual('application/json', req.headers['Accept'], url)

    def test_one_endpoint_for_backups_and_volumes(self):
        # A token for one endpoint: volumes are asked there, at the same
        # microversion.
        self.serve(base.ENDPOINT)
        self.run_threads(self.client(page_concurrency=1))
        self.assertEachRequest(base.ENDPOINT, 'volume 3.64')

    def test_a_block_storage_endpoint_of_its_own(self):
        # Volumes on another endpoint: no microversion there.
        self.serve(self.CINDER)
        session = self.catalog_session([('vbs', base.ENDPOINT),
                                        ('block-storage', self.CINDER)])
        session.get_token()  # authenticated before the threads start
        self.run_threads(self.client(session, page_concurrency=1))
        self.assertEachRequest(self.CINDER, None)
