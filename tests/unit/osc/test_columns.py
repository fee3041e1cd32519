"""Backups to rows: the columns shown and show's fields."""

from vbsclient import backup as backup_mod
from vbsclient.osc.v3 import columns

from tests.unit import base


class TestColumns(base.TestCase):

    def test_row_uses_decoded_values(self):
        row = columns.row(
            backup_mod.Backup(base.backup(
                1, description='{"DESC": "d", "INC": 1}')),
            columns.LIST_COLUMNS)
        self.assertEqual('d', row[2])
        self.assertIs(True, row[5])
        # Timestamps as the server wrote them.
        self.assertEqual('2026-01-01T00:00:01.000000', row[6])

    def test_missing_fields_are_none(self):
        row = columns.row(backup_mod.Backup({'id': 'b'}),
                          columns.LONG_COLUMNS)
        self.assertEqual(('b',) + (None,) * (len(columns.LONG_COLUMNS) - 1),
                         row)

    def test_scoped_columns_add_the_owner(self):
        self.assertEqual(columns.LIST_COLUMNS
                         + ('os-backup-project-attr:project_id',),
                         columns.SCOPED_COLUMNS)
        self.assertEqual('Project ID',
                         columns.headers(columns.SCOPED_COLUMNS)[-1])

    def test_shown_keys(self):
        self.assertEqual(
            ('id', 'name', 'metadata', 'another', 'zz'),
            columns.shown_keys({'zz': 1, 'metadata': {}, 'links': [],
                                'name': 'n', 'id': 'b', 'another': 2}))

    def test_headers_of_unknown_keys(self):
        self.assertEqual(('ID', 'Some Field', 'x:y'),
                         columns.headers(('id', 'some_field', 'x:y')))

    def test_blank_missing(self):
        row = columns.blank_missing(('a', None, 0, False))
        self.assertEqual('a', row[0])
        self.assertIs(columns.MISSING, row[1])
        self.assertEqual('', row[1].human_readable())
        self.assertIsNone(row[1].machine_readable())
        self.assertEqual((0, False), row[2:])
