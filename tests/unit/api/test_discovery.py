"""The version document: only a missing one falls back to 3.45; any other
failure is a one-line error and no listing is sent."""

import requests

from vbsclient.api import discovery
from vbsclient.api import microversion as versions
from vbsclient import exceptions

from tests.unit import base


class TestServerRange(base.TestCase):

    def setUp(self):
        super().setUp()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))

    def listing(self, **kwargs):
        return list(self.client(**kwargs).backups.list())

    def test_range_read(self):
        self.serve_versions(min_version='3.2', max_version='3.50')
        client = self.client()
        self.assertEqual(('3.2', '3.50'),
                         discovery.server_range(client.transport))
        [req] = self.requests_mock.request_history
        self.assertEqual(base.VERSION_URL, req.url)
        self.assertEqual(base.TOKEN, req.headers['X-Auth-Token'])

    def test_404_falls_back(self):
        self.requests_mock.get(base.VERSION_URL, status_code=404)
        self.assertEqual(versions.FALLBACK, '3.45')
        self.assertEqual('3.45', self.client().microversion)
        self.assertEqual('3.20', self.client(api_version='3.20').microversion)
        self.listing()
        self.assertEqual('volume 3.45', self.list_requests()[0].headers[
            'OpenStack-API-Version'])

    def test_json_without_version_data_falls_back(self):
        for body in ({}, {'other': 1}):
            self.requests_mock.get(base.VERSION_URL, json=body)
            self.assertEqual('3.45', self.client().microversion, body)

    def assertFailsBeforeListing(self, error_class, **response):
        self.requests_mock.get(base.VERSION_URL, **response)
        e = self.assertRaises(error_class, self.listing)
        self.assertEqual([str(e)], str(e).splitlines())
        self.assertEqual([], self.list_requests())
        return e

    def test_503_is_an_error(self):
        e = self.assertFailsBeforeListing(
            exceptions.HTTPError, status_code=503, reason='Unavailable',
            json={'message': 'down for maintenance'})
        self.assertEqual(503, e.status)
        self.assertEqual(base.VERSION_URL, e.url)
        self.assertIn('503', str(e))

    def test_401_is_an_error(self):
        e = self.assertFailsBeforeListing(exceptions.VBSError,
                                          status_code=401)
        self.assertIn('401', str(e))

    def test_403_is_an_error(self):
        e = self.assertFailsBeforeListing(exceptions.HTTPError,
                                          status_code=403)
        self.assertEqual(403, e.status)

    def test_body_that_is_not_json_is_an_error(self):
        e = self.assertFailsBeforeListing(exceptions.BadResponse,
                                          text='<html>maintenance</html>')
        self.assertEqual('VBS API answered GET %s with a body that is not '
                         'JSON (maintenance)' % base.VERSION_URL, str(e))

    def test_json_that_is_not_an_object_is_an_error(self):
        self.assertFailsBeforeListing(exceptions.BadResponse,
                                      json=['v3'])

    def test_unreachable_is_an_error(self):
        self.assertFailsBeforeListing(
            exceptions.ConnectionFailed,
            exc=requests.exceptions.ConnectionError)

    def test_explicit_version_does_not_hide_the_failure(self):
        self.requests_mock.get(base.VERSION_URL, status_code=503)
        self.assertRaises(exceptions.HTTPError, self.listing,
                          api_version='3.40')
        self.assertEqual([], self.list_requests())
