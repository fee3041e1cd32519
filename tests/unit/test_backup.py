"""Backup objects: read-only, decoded, and to_dict as received."""

import datetime

from vbsclient import backup as backup_mod
from vbsclient.common import backup_fields as fields
from vbsclient import exceptions

from tests.unit.api.query import test_timestamps as test_times
from tests.unit import base

UTC = datetime.timezone.utc


class TestBackup(base.TestCase):

    def test_one_attribute_per_field(self):
        data = base.vendor_example()['backups'][0]
        b = backup_mod.Backup(data)
        self.assertEqual('1d1139d8-8989-49d3-8aa1-83eb691e6db2', b.id)
        self.assertEqual('error', b.status)
        self.assertEqual(1, b.size)
        self.assertEqual(base.PROJECT_ID, b.project_id)
        self.assertEqual(tuple(f.attr for f in fields.FIELDS),
                         backup_mod.ATTRIBUTES)
        for attr in backup_mod.ATTRIBUTES:
            getattr(b, attr)

    def test_read_only(self):
        b = backup_mod.Backup(base.backup(1))
        for attr in ('id', 'name', 'description', 'created_at', 'other'):
            self.assertRaises(AttributeError, setattr, b, attr, 'x')
        self.assertRaises(AttributeError, delattr, b, 'name')
        self.assertEqual('backup-1', b.name)

    def test_timestamps_are_aware(self):
        b = backup_mod.Backup(base.backup(
            1, created_at='2026-01-01T00:00:01.000000',
            updated_at='2026-01-02T03:04:05Z',
            data_timestamp='2026-01-02T03:04:05+02:00'))
        self.assertEqual(datetime.datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC),
                         b.created_at)
        self.assertEqual(datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                         b.updated_at)
        self.assertEqual(datetime.datetime(2026, 1, 2, 1, 4, 5, tzinfo=UTC),
                         b.data_timestamp)
        for when in (b.created_at, b.updated_at, b.data_timestamp):
            self.assertIsNotNone(when.tzinfo)

    def test_every_server_form_on_every_python(self):
        for text, expected in test_times.SERVER_FORMS:
            b = backup_mod.Backup(base.backup(1, data_timestamp=text))
            self.assertEqual(expected, b.data_timestamp, text)

    def test_bad_timestamp_is_bad_response(self):
        b = backup_mod.Backup(base.backup(1, created_at='yesterday'))
        e = self.assertRaises(exceptions.BadResponse,
                              lambda: b.created_at)
        self.assertIn("'yesterday'", str(e))

    def test_description_and_incremental_decoded(self):
        b = backup_mod.Backup(base.backup(
            1, description='{"DESC": "nightly", "INC": 1}',
            is_incremental=False))
        self.assertEqual('nightly', b.description)
        self.assertIs(True, b.is_incremental)

    def test_to_dict_as_received(self):
        data = base.backup(1, description='{"DESC": "d", "INC": 1}',
                           metadata={'k': 'v'}, future=[1])
        b = backup_mod.Backup(data)
        received = b.to_dict()
        self.assertEqual(data, received)
        self.assertEqual('{"DESC": "d", "INC": 1}', received['description'])
        self.assertEqual('2026-01-01T00:00:01.000000',
                         received['created_at'])
        # A copy: changing it changes nothing.
        received['metadata']['k'] = 'changed'
        received['name'] = 'changed'
        self.assertEqual({'k': 'v'}, b.metadata)
        self.assertEqual('backup-1', b.name)
        b.metadata['k'] = 'changed'
        self.assertEqual({'k': 'v'}, b.to_dict()['metadata'])

    # raw() once handed out the backup's own metadata dict.
    def test_raw_values_cannot_change_the_backup(self):
        b = backup_mod.Backup(base.backup(1, metadata={'k': 'v'}))
        b.raw('metadata')['k'] = 'changed'
        self.assertEqual({'k': 'v'}, b.metadata)
        self.assertEqual({'k': 'v'}, b.to_dict()['metadata'])

    def test_missing_field_is_none(self):
        b = backup_mod.Backup({'id': 'b1'})
        for attr in backup_mod.ATTRIBUTES:
            if attr != 'id':
                self.assertIsNone(getattr(b, attr), attr)
        self.assertEqual({'id': 'b1'}, b.to_dict())

    def test_equality_and_repr(self):
        a = backup_mod.Backup(base.backup(1))
        self.assertEqual(a, backup_mod.Backup(base.backup(1)))
        self.assertNotEqual(a, backup_mod.Backup(base.backup(2)))
        self.assertEqual(hash(a), hash(backup_mod.Backup(base.backup(1))))
        self.assertEqual("<Backup bk-0001 'backup-1'>", repr(a))


class TestVendorDescription(base.TestCase):
    """Moved from the CLI's columns: decoding is the library's."""

    def test_desc_and_inc(self):
        self.assertEqual(('nightly', True), backup_mod.vendor_description(
            '{"DESC": "nightly", "INC": 1}', False))
        self.assertEqual(('full', False), backup_mod.vendor_description(
            '{"DESC": "full", "INC": "0"}', True))

    def test_desc_without_usable_inc_keeps_server_flag(self):
        self.assertEqual(('x', True), backup_mod.vendor_description(
            '{"DESC": "x"}', True))
        self.assertEqual(('x', False), backup_mod.vendor_description(
            '{"DESC": "x", "INC": true}', False))

    def test_other_descriptions_unchanged(self):
        for text in (None, '', 'plain', '{not json', '{"desc": 1}', '[1]',
                     '{"a": 1}'):
            self.assertEqual((text, False),
                             backup_mod.vendor_description(text, False))
