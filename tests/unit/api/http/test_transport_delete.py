"""Transport.delete: one DELETE on the endpoint, errors mapped as GETs'
are, never sent twice after a failed connection."""

import requests

from vbsclient.api.http import endpoint
from vbsclient.api.http import transport
from vbsclient import exceptions

from tests.unit import base

URL = base.ENDPOINT + '/backups/b-1'


class TestDelete(base.TestCase):

    def transport(self):
        return transport.Transport(self.token_session(),
                                   endpoint.SERVICE_TYPES, 'VBS', timeout=7)

    def test_accepted_with_the_token_on_the_endpoint(self):
        self.requests_mock.delete(URL, status_code=202)
        self.assertEqual(202, self.transport().delete('backups/b-1',
                                                      'deleting b-1'))
        [req] = self.requests_mock.request_history
        self.assertEqual(('DELETE', URL), (req.method, req.url))
        self.assertEqual(base.TOKEN, req.headers['X-Auth-Token'])
        # The time the request's own deadline leaves.
        self.assertTrue(6 < req.timeout <= 7, req.timeout)

    def test_error_status_is_a_one_line_http_error(self):
        self.requests_mock.delete(
            URL, status_code=400, reason='Bad Request',
            headers={'x-openstack-request-id': 'req-9'},
            json={'badRequest': {'code': 400, 'message': 'Invalid backup: '
                                 'Incremental backups exist for this '
                                 'backup.'}})
        e = self.assertRaises(exceptions.HTTPError,
                              self.transport().delete, 'backups/b-1', 'x')
        self.assertEqual(
            'VBS API answered 400 Bad Request to DELETE %s: Invalid backup: '
            'Incremental backups exist for this backup. (request-id: req-9)'
            % URL, str(e))
        self.assertEqual(('DELETE', 400), (e.method, e.status))

    def test_a_refused_connection_is_not_sent_again(self):
        self.requests_mock.delete(URL,
                                  exc=requests.exceptions.ConnectionError)
        e = self.assertRaises(exceptions.ConnectionFailed,
                              self.transport().delete, 'backups/b-1',
                              'deleting backup b-1')
        self.assertIn('(deleting backup b-1)', str(e))
        self.assertEqual(1, len(self.requests_mock.request_history))

    def test_client_sends_the_microversion(self):
        self.serve_versions()
        self.requests_mock.delete(URL, status_code=202)
        self.client().delete('backups/b-1', 'x')
        req = self.requests_mock.request_history[-1]
        self.assertEqual('volume 3.64', req.headers['OpenStack-API-Version'])
