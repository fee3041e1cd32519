"""``Backup``: one backup as the server sent it, read-only.

Its attributes come from the one table of fields
(:mod:`vbsclient.common.backup_fields`); values are decoded on access, so
wrapping a listing of many backups costs one small object each.
"""

import json

from vbsclient.api.query import timestamps as times
from vbsclient.common import backup_fields as fields
from vbsclient import exceptions


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


def parse_timestamp(text):
    """A timezone-aware UTC datetime from the server's text (no zone: UTC).

    The windows' parser (times.server_time), so a backup a window keeps
    never fails to decode.
    """
    try:
        return times.server_time(text)
    except ValueError:
        raise exceptions.BadResponse(
            'VBS API sent the timestamp %r, which is not ISO 8601' % (text,))


class Backup:
    """One backup. Attributes are None for fields the server did not send.

    Timestamps (``created_at``, ``updated_at``, ``data_timestamp``) are
    timezone-aware datetimes; ``description`` and ``is_incremental`` are
    decoded from the vendor's ``{"DESC": ..., "INC": 0|1}`` description
    form when the server uses it.
    """

    __slots__ = ('_data',)

    def __init__(self, data):
        object.__setattr__(self, '_data', data)

    def __setattr__(self, name, value):
        raise AttributeError('Backup objects are read-only')

    def to_dict(self):
        """The backup's JSON object as the server sent it.

        :returns: a dict, a copy.
        """
        return json.loads(json.dumps(self._data))

    def raw(self, key):
        """One field's JSON value as sent (timestamps as text).

        :returns: the value (a copy of a dict or list), or None when the
            field is missing.
        """
        value = self._data.get(key)
        if isinstance(value, (dict, list)):
            return json.loads(json.dumps(value))
        return value

    @property
    def description(self):
        """The description, unpacked from the vendor's JSON form."""
        return vendor_description(self._data.get('description'),
                                  self._data.get('is_incremental'))[0]

    @property
    def is_incremental(self):
        """Whether the backup is incremental (the vendor's form first)."""
        return vendor_description(self._data.get('description'),
                                  self._data.get('is_incremental'))[1]

    def __eq__(self, other):
        return isinstance(other, Backup) and other._data == self._data

    def __hash__(self):
        return hash(self._data.get('id'))

    def __repr__(self):
        return '<Backup %s %r>' % (self._data.get('id'),
                                   self._data.get('name'))


def _attribute(field):
    key = field.key
    if key in fields.TIMESTAMPS:
        def get(self):
            return parse_timestamp(self._data.get(key))
    elif field.json_type is dict:
        def get(self):
            value = self._data.get(key)
            return dict(value) if value is not None else None
    else:
        def get(self):
            return self._data.get(key)
    get.__doc__ = '%s (``%s``)' % (field.label, key)
    return property(get)


for _field in fields.FIELDS:
    if not hasattr(Backup, _field.attr):
        setattr(Backup, _field.attr, _attribute(_field))
del _field

# Every attribute a Backup has, in the fields table's order.
ATTRIBUTES = tuple(f.attr for f in fields.FIELDS)
