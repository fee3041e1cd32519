"""Which backup fields the commands show, and how a backup becomes a row."""

import json

from cliff import columns as cliff_columns

# (API field, column header); the order is the output order.
LIST_COLUMNS = (
    ('id', 'ID'),
    ('name', 'Name'),
    ('description', 'Description'),
    ('status', 'Status'),
    ('size', 'Size'),
    ('is_incremental', 'Incremental'),
    ('created_at', 'Created At'),
)

LONG_COLUMNS = LIST_COLUMNS + (
    ('availability_zone', 'Availability Zone'),
    ('volume_id', 'Volume ID'),
    ('snapshot_id', 'Snapshot ID'),
    ('container', 'Container'),
    ('object_count', 'Object Count'),
    ('fail_reason', 'Fail Reason'),
    ('has_dependent_backups', 'Has Dependent Backups'),
    ('data_timestamp', 'Data Timestamp'),
    ('updated_at', 'Updated At'),
    ('os-backup-project-attr:project_id', 'Project ID'),
    ('user_id', 'User ID'),
    ('encryption_key_id', 'Encryption Key ID'),
)


class Missing(cliff_columns.FormattableColumn):
    """A value the server left out or sent as null, shown empty in tables."""

    def human_readable(self):
        return ''

    def machine_readable(self):
        return None

    # Sort after every real value, as cliff sorts None.
    def __lt__(self, other):
        return False

    def __gt__(self, other):
        return not isinstance(other, Missing)


MISSING = Missing(None)


def headers(columns):
    return tuple(header for _field, header in columns)


def row(backup, columns):
    """The row for one backup; a field the server left out is None."""
    description, incremental = vendor_description(
        backup.get('description'), backup.get('is_incremental'))
    values = []
    for field, _header in columns:
        if field == 'description':
            values.append(description)
        elif field == 'is_incremental':
            values.append(incremental)
        else:
            values.append(backup.get(field))
    return tuple(values)


def blank_missing(row):
    """For tables: None becomes an empty cell instead of "None"."""
    return tuple(MISSING if v is None else v for v in row)


def vendor_description(description, is_incremental):
    """Unpack VBS's ``{"DESC": ..., "INC": 0|1}`` description form.

    Returns (description, is_incremental); anything else is kept as it is.
    """
    if not isinstance(description, str) or not description.startswith('{'):
        return description, is_incremental
    try:
        data = json.loads(description)
    except ValueError:
        return description, is_incremental
    if not isinstance(data, dict) or 'DESC' not in data:
        return description, is_incremental
    inc = data.get('INC')
    if inc in (0, 1, '0', '1') and not isinstance(inc, bool):
        is_incremental = int(inc) == 1
    return data['DESC'], is_incremental
