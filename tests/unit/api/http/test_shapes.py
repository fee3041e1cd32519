"""Answers whose shape is not what the API documents are one-line
errors."""

from vbsclient import exceptions

from tests.unit import base


class TestShapes(base.TestCase):

    def fail_with(self, **response):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, **response)
        manager = self.client().backups
        return self.assertRaises(exceptions.VBSError, list, manager.list())

    def test_wrong_shapes(self):
        for body in ({'backups': {}}, {'nothing': []}, {'backups': [1]},
                     {'backups': [{'name': 'no id'}]}, ['backups'],
                     {'backups': [{'id': 5}]},
                     {'backups': [{'id': 'b', 'size': '1'}]},
                     {'backups': [{'id': 'b', 'size': True}]},
                     {'backups': [{'id': 'b', 'is_incremental': 'yes'}]},
                     {'backups': [{'id': 'b', 'name': ['x']}]}):
            e = self.fail_with(json=body)
            self.assertIsInstance(e, exceptions.BadResponse)
            self.assertNotIn('\n', str(e))

    def test_field_type_message(self):
        e = self.fail_with(json={'backups': [{'id': 'b1', 'size': '1'}]})
        self.assertEqual(
            'VBS API answered GET %s with backup b1 whose "size" is not of '
            'type integer: \'1\'' % base.LIST_URL, str(e))

    def test_nulls_and_unknown_fields_pass(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json={'backups': [
            {'id': 'b1', 'size': None, 'name': None, 'future': [1, 2]}]})
        [result] = list(self.client().backups.list())
        self.assertIsNone(result.size)
        self.assertEqual([1, 2], result.to_dict()['future'])
