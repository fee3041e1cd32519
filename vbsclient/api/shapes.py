"""Refuses answers whose shape is not what the API documents.

Each shown field has its documented JSON type (the table in
``vbsclient.common.backup_fields``); a value of another type is refused
rather than shown as if it were right.  Exact types: a JSON true is not an
integer.
"""

from vbsclient.common import backup_fields
from vbsclient import exceptions

# id must be a non-empty string; every other field may be null or missing.
_ALLOWED = tuple(
    (f.key, frozenset((f.json_type, type(None))), f.json_type.__name__)
    for f in backup_fields.FIELDS if f.key != 'id')
_TYPE_NAMES = {'str': 'string', 'int': 'integer', 'bool': 'boolean',
               'dict': 'object'}


def backups_of(body, url):
    """The list of backups of a listing answer."""
    backups = body.get('backups')
    if not isinstance(backups, list):
        raise exceptions.BadResponse(
            'VBS API answered GET %s without a "backups" list' % url)
    for backup in backups:
        check_backup(backup, url)
    return backups


def backup_of(body, url):
    """The backup of a ``backups/{id}`` answer."""
    backup = body.get('backup')
    check_backup(backup, url)
    return backup


def check_backup(backup, url):
    if type(backup) is not dict or type(backup.get('id')) is not str or (
            not backup['id']):
        raise exceptions.BadResponse(
            'VBS API answered GET %s with a backup that is not an object '
            'with an "id"' % url)
    get = backup.get
    for key, allowed, type_name in _ALLOWED:
        if type(get(key)) not in allowed:
            raise exceptions.BadResponse(
                'VBS API answered GET %s with backup %s whose "%s" is not '
                'of type %s: %r' % (url, backup['id'], key,
                                    _TYPE_NAMES[type_name], get(key)))


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
