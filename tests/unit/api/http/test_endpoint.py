"""Endpoint resolution from the catalog, the override and URL rewriting."""

from vbsclient.api.http import endpoint
from vbsclient import exceptions
from vbsclient.osc.v3 import errors

from tests.unit import base

PID = base.PROJECT_ID


class TestToV3(base.TestCase):

    def test_rewrites(self):
        cases = [
            ('https://vbs.example.test/v2/%s' % PID, None,
             'https://vbs.example.test/v3/%s' % PID),
            ('https://h:8776/v3/%s/' % PID, None,
             'https://h:8776/v3/%s' % PID),
            ('https://h/block-storage/v3', PID,
             'https://h/block-storage/v3/%s' % PID),
            ('https://h:8776/', PID, 'https://h:8776/v3/%s' % PID),
            ('https://h:8776/v2.1/%s' % PID, PID,
             'https://h:8776/v3/%s' % PID),
        ]
        for url, project, expected in cases:
            self.assertEqual(expected, endpoint.to_v3(url, project), url)

    def test_version_document_url(self):
        self.assertEqual(
            'https://h/block-storage/v3/',
            endpoint.version_document_url('https://h/block-storage/v3/%s'
                                          % PID))


class TestResolve(base.TestCase):

    def test_vbs_entry_preferred_and_moved_to_v3(self):
        sess = self.catalog_session([
            ('volumev3', 'https://cinder.example.test/v3/%s' % PID),
            ('vbs', 'https://vbs.example.test/v2/%s' % PID)])
        self.assertEqual(base.ENDPOINT, endpoint.resolve(sess))

    def test_block_storage_and_aliases(self):
        for service_type in ('block-storage', 'volumev3', 'volumev2',
                             'volume'):
            sess = self.catalog_session([
                (service_type, 'https://vbs.example.test/v3/%s' % PID)])
            self.assertEqual(base.ENDPOINT, endpoint.resolve(sess),
                             service_type)

    def test_interface_is_honoured(self):
        sess = self.catalog_session([
            ('vbs', 'https://vbs.example.test/v2/%s' % PID)])
        self.assertEqual('http://vbs.example.test/v3/%s' % PID,
                         endpoint.resolve(sess, interface='internal'))

    def test_no_entry(self):
        sess = self.catalog_session([('compute', 'https://nova.test/v2.1')])
        e = self.assertRaises(exceptions.EndpointNotFound,
                              endpoint.resolve, sess, region_name='R9')
        self.assertIn("no 'vbs' or 'block-storage' endpoint", str(e))
        self.assertIn('set endpoint_override to the v3 URL', str(e))
        self.assertIn('set --os-vbs-endpoint-override to the v3 URL',
                      errors.in_cli_words(e))

    def test_override_wins_over_catalog(self):
        sess = self.catalog_session([
            ('vbs', 'https://elsewhere.test/v2/%s' % PID)])
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        client = self.client(sess, endpoint_override=base.ENDPOINT + '/')
        self.assertEqual([], list(client.backups.list()))
        hosts = {r.hostname for r in self.requests_mock.request_history}
        self.assertEqual({'keystone.example.test', 'vbs.example.test'}, hosts)
