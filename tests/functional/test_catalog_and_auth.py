"""Endpoint selection from real catalogs, the override, and auth methods."""

import json

from tests.functional import base
from tests.harness import cloud as cloud_mod


class TestCatalogAndAuth(base.FunctionalTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud.clear_backups()
        cls.rows = cls.cloud.seed_backups(12)
        cls.expected = [r['id'] for r in reversed(cls.rows)]

    def tearDown(self):
        self.cloud.set_catalog(vbs=False, block_storage=True)
        super().tearDown()

    def ids(self, *args, **kwargs):
        return self.openstack_ok(*(args + ('vbs', 'backup', 'list', '-f',
                                           'value', '-c', 'ID')),
                                 **kwargs).split()

    def endpoint_used(self, *args, env=None):
        rc, out, err = self.openstack(*(args + ('--debug', 'vbs', 'backup',
                                                'list', '--limit', '1')),
                                      env=env)
        self.assertEqual(0, rc, err)
        for line in err.splitlines():
            if line.startswith('VBS backup endpoint: '):
                return line.split(': ', 1)[1]
        self.fail('no endpoint in --debug output')

    def test_vbs_entry_at_v2_is_used_at_v3(self):
        self.cloud.set_catalog(vbs=True, block_storage=False)
        self.assertEqual(self.expected, self.ids())
        self.assertEqual('%s/v3/%s' % (self.cloud.cinder_url,
                                       self.cloud.member.project_id),
                         self.endpoint_used())

    def test_vbs_preferred_over_block_storage(self):
        extra = self.cloud.start_extra_cinder(osapi_max_limit=1000)
        self.cloud.set_catalog(vbs=True, block_storage=True)
        # Point the block-storage entry elsewhere: vbs must still win.
        admin = self.cloud.keystone_admin()
        service_id = admin.ensure_service('block-storage', 'cinderv3')
        admin.set_endpoints(service_id, extra + '/v3/$(project_id)s')
        self.assertTrue(self.endpoint_used().startswith(
            self.cloud.cinder_url + '/v3/'))

    def test_only_block_storage(self):
        self.cloud.set_catalog(vbs=False, block_storage=True)
        self.assertEqual(self.expected, self.ids())

    def test_neither_entry_then_override(self):
        self.cloud.set_catalog(vbs=False, block_storage=False)
        rc, out, err = self.openstack('vbs', 'backup', 'list')
        self.assertEqual(1, rc)
        self.assertIn("no 'vbs' or 'block-storage' endpoint for interface "
                      "public in region RegionOne in the service catalog",
                      err)
        endpoint = '%s/v3/%s' % (self.cloud.cinder_url,
                                 self.cloud.member.project_id)
        self.assertEqual(self.expected,
                         self.ids('--os-vbs-endpoint-override', endpoint))
        self.assertEqual(self.expected, self.ids(
            env={'OS_VBS_ENDPOINT_OVERRIDE': endpoint}))

    def test_password_auth_from_os_variables(self):
        m = self.cloud.member
        env = {'OS_AUTH_URL': self.cloud.keystone_url,
               'OS_USERNAME': m.username, 'OS_PASSWORD': m.password,
               'OS_PROJECT_NAME': m.project_name,
               'OS_USER_DOMAIN_NAME': m.user_domain_name,
               'OS_PROJECT_DOMAIN_NAME': m.project_domain_name,
               'OS_REGION_NAME': cloud_mod.REGION,
               'OS_IDENTITY_API_VERSION': '3'}
        rc, out, err = self.run_cli('vbs', 'backup', 'list', '-f', 'value',
                                    '-c', 'ID', env=env)
        self.assertEqual(0, rc, err)
        self.assertEqual(self.expected, out.split())

    def test_token_auth_with_catalog(self):
        token = self.cloud.token('member')
        rc, out, err = self.run_cli(
            '--os-auth-type', 'token', '--os-auth-url',
            self.cloud.keystone_url, '--os-project-id',
            self.cloud.member.project_id, 'vbs', 'backup', 'list', '-f',
            'value', '-c', 'ID', env={'OS_TOKEN': token})
        self.assertEqual(0, rc, err)
        self.assertEqual(self.expected, out.split())

    def test_token_and_endpoint(self):
        token = self.cloud.token('member')
        endpoint = '%s/v3/%s' % (self.cloud.cinder_url,
                                 self.cloud.member.project_id)
        rc, out, err = self.run_cli(
            '--os-endpoint', endpoint, '--os-token', token, 'vbs', 'backup',
            'list', '-f', 'json', '-c', 'ID')
        self.assertEqual(0, rc, err)
        self.assertEqual(self.expected, [r['ID'] for r in json.loads(out)])

    def test_wrong_password_is_one_line(self):
        m = self.cloud.member
        rc, out, err = self.run_cli(
            '--os-auth-url', self.cloud.keystone_url, '--os-username',
            m.username, '--os-password', 'wrong', '--os-project-name',
            m.project_name, '--os-user-domain-name', 'Default',
            '--os-project-domain-name', 'Default', 'vbs', 'backup', 'list')
        self.assertEqual(1, rc)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertNotIn('Traceback', err)
