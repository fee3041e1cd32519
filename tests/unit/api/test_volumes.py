"""Volume look-ups on the catalog's block-storage service."""

from tests.unit import base

VOLUME = '27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a11'
VBS_V2 = base.VBS_ROOT + '/v2/%s' % base.PROJECT_ID
CINDER = 'https://cinder.example.test'


class TestVolumeEndpoint(base.TestCase):

    def listing(self, services):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        client = self.client(self.catalog_session(services))
        return list(client.backups.list(volume='db-volume-1'))

    def test_block_storage_entry_is_asked(self):
        volumes = self.requests_mock.get(
            CINDER + '/v3/%s/volumes' % base.PROJECT_ID,
            json={'volumes': [{'id': VOLUME}]})
        self.listing([('vbs', VBS_V2),
                      ('block-storage', CINDER + '/v3/%s' % base.PROJECT_ID)])
        self.assertEqual(1, volumes.call_count)
        self.assertEqual({'name': ['db-volume-1'], 'limit': ['5']},
                         base.query_of(volumes.last_request))
        self.assertEqual(base.TOKEN,
                         volumes.last_request.headers['X-Auth-Token'])
        self.assertEqual([VOLUME], base.query_of(
            self.list_requests()[0])['volume_id'])

    def test_without_block_storage_the_vbs_endpoint_is_asked(self):
        volumes = self.requests_mock.get(base.ENDPOINT + '/volumes',
                                         json={'volumes': [{'id': VOLUME}]})
        self.listing([('vbs', VBS_V2)])
        self.assertEqual(1, volumes.call_count)
        self.assertEqual([VOLUME], base.query_of(
            self.list_requests()[0])['volume_id'])
