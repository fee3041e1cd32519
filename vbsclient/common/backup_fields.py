"""The backup fields: API key, Python attribute, label, JSON type and the
microversion that added each one.

One table serves the shape checks of the API layer, the attributes of
``Backup``, the columns of ``list``/``list --long`` and the rows of
``show``.
"""

import collections

Field = collections.namedtuple('Field', 'key attr label json_type since')

# Fields of one backup in the order they are shown; every field but id
# may be null or missing (the vendor's own example leaves one out).
FIELDS = (
    Field('id', 'id', 'ID', str, '3.0'),
    Field('name', 'name', 'Name', str, '3.0'),
    Field('description', 'description', 'Description', str, '3.0'),
    Field('status', 'status', 'Status', str, '3.0'),
    Field('size', 'size', 'Size', int, '3.0'),
    Field('is_incremental', 'is_incremental', 'Incremental', bool, '3.0'),
    Field('created_at', 'created_at', 'Created At', str, '3.0'),
    Field('availability_zone', 'availability_zone',
          'Availability Zone', str, '3.0'),
    Field('volume_id', 'volume_id', 'Volume ID', str, '3.0'),
    Field('snapshot_id', 'snapshot_id', 'Snapshot ID', str, '3.0'),
    Field('container', 'container', 'Container', str, '3.0'),
    Field('object_count', 'object_count', 'Object Count', int, '3.0'),
    Field('fail_reason', 'fail_reason', 'Fail Reason', str, '3.0'),
    Field('has_dependent_backups', 'has_dependent_backups',
          'Has Dependent Backups', bool, '3.0'),
    Field('data_timestamp', 'data_timestamp', 'Data Timestamp', str, '3.0'),
    Field('updated_at', 'updated_at', 'Updated At', str, '3.0'),
    Field('os-backup-project-attr:project_id', 'project_id',
          'Project ID', str, '3.18'),
    Field('user_id', 'user_id', 'User ID', str, '3.56'),
    Field('encryption_key_id', 'encryption_key_id',
          'Encryption Key ID', str, '3.64'),
    Field('metadata', 'metadata', 'Metadata', dict, '3.43'),
)

BY_KEY = {field.key: field for field in FIELDS}

# Sent as text without a zone, in UTC.
TIMESTAMPS = frozenset(('created_at', 'updated_at', 'data_timestamp'))

PROJECT_ID = 'os-backup-project-attr:project_id'

# Never shown: links point wherever the server says (see api/paging).
HIDDEN = frozenset(('links',))

LIST = ('id', 'name', 'description', 'status', 'size', 'is_incremental',
        'created_at')
# Every field but metadata, which only ``show`` carries.
LONG = tuple(f.key for f in FIELDS if f.key != 'metadata')


def label(key):
    """The label of ``key``; a field the table lacks is titled as is."""
    field = BY_KEY.get(key)
    if field is not None:
        return field.label
    return key.replace('_', ' ').title() if ':' not in key else key
