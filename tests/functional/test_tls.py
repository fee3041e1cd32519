"""HTTPS as clouds run it: Keystone and Cinder behind TLS fronts.

The fronts (tests/harness/front.py) serve certificates made at test time:
one CA the client is told to trust, and an untrusted one.  Cinder behind
the trusted front is published in region RegionTLS, behind the untrusted
front in RegionTLSUntrusted; RegionOne stays as the other tests use it.
"""

import os
import tempfile

from tests.functional import base
from tests.harness import tlscerts
from tests import hostile_server

REGION = 'RegionTLS'
UNTRUSTED_REGION = 'RegionTLSUntrusted'
CA_HINT = ('give the CA certificate that signed it with --os-cacert <file>, '
           'OS_CACERT or "cacert" in clouds.yaml')


class TestTLS(base.FunctionalTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c = cls.cloud
        c.clear_backups()
        cls.expected = [r['id'] for r in reversed(c.seed_backups(5))]
        cls.certs = c.tls_certs()
        # Client certificates asked for, not required: both cases show.
        cls.keystone = c.start_front('keystone', client_ca=True)
        cls.cinder = c.start_front('cinder', client_ca=True)
        cls.untrusted_keystone = c.start_front('keystone', untrusted=True)
        cls.untrusted_cinder = c.start_front('cinder', untrusted=True)
        cls.fronts = (cls.keystone, cls.cinder, cls.untrusted_keystone,
                      cls.untrusted_cinder)
        c.publish_cinder(cls.cinder.url, REGION)
        c.publish_cinder(cls.untrusted_cinder.url, UNTRUSTED_REGION)
        cls.clouds_yaml = os.path.join(
            tempfile.mkdtemp(prefix='vbs-functional-tls-'), 'clouds.yaml')
        auth_url = cls.keystone.url + '/v3'
        for name, kwargs in (
                ('tls', {}),
                ('tls-cacert', {'cacert': cls.certs.ca}),
                ('tls-untrusted-keystone', {
                    'auth_url': cls.untrusted_keystone.url + '/v3',
                    'cacert': cls.certs.ca}),
                ('tls-untrusted-cinder', {
                    'region_name': UNTRUSTED_REGION,
                    'cacert': cls.certs.ca})):
            kwargs.setdefault('auth_url', auth_url)
            kwargs.setdefault('region_name', REGION)
            c.write_clouds_yaml(cls.clouds_yaml, name, **kwargs)

    @classmethod
    def tearDownClass(cls):
        cls.cloud.set_catalog(vbs=False, block_storage=True)
        for item in cls.fronts:
            item.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        for item in self.fronts:
            item.requests.clear()
            del item.handshake_errors[:]

    def tls_cli(self, cloud_name, *args, env=None):
        full_env = {'OS_CLIENT_CONFIG_FILE': self.clouds_yaml}
        full_env.update(env or {})
        return self.run_cli('--os-cloud', cloud_name, *args, env=full_env)

    def assertListed(self, cloud_name, *options, env=None):
        rc, out, err = self.tls_cli(
            cloud_name, *(options + ('vbs', 'backup', 'list', '-f', 'value',
                                     '-c', 'ID')), env=env)
        self.assertEqual(0, rc, err)
        self.assertEqual('', err)
        self.assertEqual(self.expected, out.split())
        self.assertEqual(self.expected, self.server_ids())
        # Both authentication and listing went through the HTTPS fronts.
        self.assertIn(('POST', '/v3/auth/tokens'),
                      [(r.method, r.path) for r in self.keystone.requests])
        listed = [r for r in self.cinder.requests
                  if r.path.endswith('/backups/detail')]
        self.assertEqual(1, len(listed))
        self.assertEqual(self.cloud.member.project_id,
                         listed[0].path.split('/')[2])
        self.assertEqual(200, listed[0].status)

    def test_os_cacert_option(self):
        self.assertListed('tls', '--os-cacert', self.certs.ca)
        # No client certificate was offered.
        self.assertEqual({None}, {r.client_subject for r in
                                  self.keystone.requests
                                  + self.cinder.requests})

    def test_os_cacert_variable(self):
        self.assertListed('tls', env={'OS_CACERT': self.certs.ca})

    def test_clouds_yaml_cacert(self):
        self.assertListed('tls-cacert')

    def test_insecure(self):
        self.assertListed('tls', '--insecure')

    def test_client_certificate_reaches_both_servers(self):
        cert, key = self.certs.client
        self.assertListed('tls-cacert', '--os-cert', cert, '--os-key', key)
        subjects = {r.client_subject for r in
                    self.keystone.requests + self.cinder.requests}
        self.assertEqual({tlscerts.CLIENT_SUBJECT}, subjects)

    def test_untrusted_cinder_certificate(self):
        rc, out, err = self.tls_cli('tls-untrusted-cinder', 'vbs', 'backup',
                                    'list')
        self.assertEqual(1, rc)
        self.assertEqual('', out)
        # The first request to Cinder is the version discovery.
        self.assertEqual(
            ['the TLS certificate of %s/v3/ could not be verified (unable to '
             'get local issuer certificate); %s'
             % (self.untrusted_cinder.url, CA_HINT)], err.splitlines())
        self.assertEqual([], self.untrusted_cinder.requests)
        # Recorded by the front's own thread, maybe after the exit.
        self.assertTrue(hostile_server.wait_until(
            lambda: self.untrusted_cinder.handshake_errors))
        # Authentication went through the trusted Keystone front.
        self.assertIn(('POST', '/v3/auth/tokens'),
                      [(r.method, r.path) for r in self.keystone.requests])

    def test_untrusted_keystone_certificate(self):
        # Authentication fails inside openstack's own start-up (osc-lib's
        # prepare_to_run_command), before the plugin runs: the message is
        # keystoneauth's, after its warning that discovery failed.
        rc, out, err = self.tls_cli('tls-untrusted-keystone', 'vbs',
                                    'backup', 'list')
        self.assertEqual(1, rc)
        self.assertEqual('', out)
        self.assertNotIn('Traceback', err)
        last = err.splitlines()[-1]
        self.assertIn('%s/v3/auth/tokens' % self.untrusted_keystone.url,
                      last)
        self.assertIn('certificate verify failed: unable to get local '
                      'issuer certificate', last)
        self.assertEqual([], self.untrusted_keystone.requests)
        self.assertEqual([], self.cinder.requests + self.keystone.requests)
