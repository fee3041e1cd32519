"""Refuses answers whose shape is not what the API documents.

Each shown field has its documented JSON type (the table in
``vbsclient.common.backup_fields``); a value of another type is refused
rather than shown as if it were right.  Exact types: a JSON true is not an
integer.
"""

from vbsclient.common import backup_fields
from vbsclient import exceptions

_TYPE_NAMES = {str: 'string', int: 'integer', bool: 'boolean',
               dict: 'object'}
# id must be a non-empty string; every other field may be null or missing.
_BACKUP_FIELDS = tuple(
    (f.key, frozenset((f.json_type, type(None))), _TYPE_NAMES[f.json_type])
    for f in backup_fields.FIELDS if f.key != 'id')
# The volume fields coverage reads.
_VOLUME_FIELDS = tuple(
    (key, frozenset((json_type, type(None))), _TYPE_NAMES[json_type])
    for key, json_type in (('name', str), ('size', int), ('status', str)))


def backups_of(body, url):
    """The list of backups of a listing answer."""
    return _list_of(body, 'backups', 'backup', _BACKUP_FIELDS, url)


def backup_of(body, url):
    """The backup of a ``backups/{id}`` answer."""
    backup = body.get('backup')
    check_backup(backup, url)
    return backup


def check_backup(backup, url):
    _check(backup, 'backup', _BACKUP_FIELDS, url)


def volumes_of(body, url):
    """The list of volumes of a ``volumes/detail`` answer."""
    return _list_of(body, 'volumes', 'volume', _VOLUME_FIELDS, url)


def _list_of(body, key, kind, fields, url):
    items = body.get(key)
    if not isinstance(items, list):
        raise exceptions.BadResponse(
            'VBS API answered GET %s without a "%s" list' % (url, key))
    for item in items:
        _check(item, kind, fields, url)
    return items


def _check(item, kind, fields, url):
    """Refuse ``item`` unless it is an object with a non-empty string id.

    ``fields``: (key, allowed types, type name) of its other fields.
    """
    if type(item) is not dict or type(item.get('id')) is not str or (
            not item['id']):
        raise exceptions.BadResponse(
            'VBS API answered GET %s with a %s that is not an object '
            'with an "id"' % (url, kind))
    get = item.get
    for key, allowed, type_name in fields:
        if type(get(key)) not in allowed:
            raise exceptions.BadResponse(
                'VBS API answered GET %s with %s %s whose "%s" is not '
                'of type %s: %r' % (url, kind, item['id'], key, type_name,
                                    get(key)))


def count_of(body, url):
    count = body.get('count')
    if isinstance(count, bool) or not isinstance(count, int):
        raise exceptions.BadResponse(
            'VBS API answered GET %s without an integer "count"' % url)
    return count


def ids_of(body, key, url):
    """The ids of the objects listed under ``key`` (e.g. volumes)."""
    items = body.get(key)
    if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get('id'), str) and i['id']
            for i in items):
        raise exceptions.BadResponse(
            'VBS API answered GET %s without a "%s" list of objects with '
            'an "id"' % (url, key))
    return [i['id'] for i in items]
