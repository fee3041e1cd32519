"""Backup rows written straight into Cinder's sqlite database (``sqlrows``).

The running API reads the table on every request, so seeded rows are visible
at once.  Rows are varied but deterministic for a given index: names from a
few templates (some sharing substrings in different case, some non-ASCII),
statuses among Cinder's valid ones, a handful of volume ids, every fourth
backup incremental.  ``created_at`` is distinct and strictly increasing, also
across calls, so Cinder's default order (newest first) is predictable.
Volume rows and backup metadata too, for the listings that read them.
"""

import collections
import contextlib
import datetime
import uuid

from tests.harness import sqlrows

# Cinder's BackupStatus values, 'deleted' left out (such rows are soft-deleted
# in practice).  Any other value makes Cinder's list call fail with 500.
STATUSES = ('available', 'error', 'creating', 'deleting', 'restoring',
            'error_deleting')
_STATUS_CYCLE = ('available', 'available', 'error', 'available', 'creating',
                 'available', 'deleting', 'available', 'restoring',
                 'available', 'error_deleting', 'available')

NAME_TEMPLATES = (
    'daily-backup-{i}',
    'weekly-backup-{i}',
    'Daily DB {i}',
    'web-frontend-{i}',
    'DAILY-web-{i}',
    'sauvegarde-\u00e9t\u00e9-{i}',
    '\u65e5\u6b21\u30d0\u30c3\u30af\u30a2\u30c3\u30d7-{i}',
    'db-nightly-{i}',
)

VOLUME_IDS = tuple(str(uuid.uuid5(uuid.NAMESPACE_URL,
                                  'vbs-harness-volume-%d' % k))
                   for k in range(5))

FIRST_CREATED_AT = datetime.datetime(2024, 1, 1, 8, 0, 0)
DB_TIME_FORMAT = sqlrows.DB_TIME_FORMAT
# What the API shows (no zone suffix).
API_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'

_ALIASES = {'name': 'display_name', 'description': 'display_description'}


def _last_created_at(conn):
    row = conn.execute('SELECT MAX(created_at) FROM backups').fetchone()
    if not row or not row[0]:
        return None
    text = row[0]
    for fmt in (DB_TIME_FORMAT, '%Y-%m-%d %H:%M:%S'):
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            pass
    return None


def _default_row(i, created, project_id, user_id, last_full):
    status = _STATUS_CYCLE[i % len(_STATUS_CYCLE)]
    volume_id = VOLUME_IDS[i % len(VOLUME_IDS)]
    parent_id = None
    if i % 4 == 3 and volume_id in last_full:
        parent_id = last_full[volume_id]
    name = NAME_TEMPLATES[i % len(NAME_TEMPLATES)].format(i=i)
    description = None if i % 5 == 4 else 'backup %d of volume %s' % (
        i, volume_id[:8])
    return {
        'id': str(uuid.uuid4()),
        'created_at': created,
        'updated_at': created,
        'deleted_at': None,
        'deleted': False,
        'user_id': user_id,
        'project_id': project_id,
        'volume_id': volume_id,
        'host': 'localhost',
        'availability_zone': 'nova',
        'display_name': name,
        'display_description': description,
        'container': 'volumebackups',
        'parent_id': parent_id,
        'status': status,
        'fail_reason': ('simulated failure %d' % i
                        if status.startswith('error') else None),
        'service_metadata': None,
        'service': 'cinder.backup.drivers.swift.SwiftBackupDriver',
        'size': 1 + (i * 7) % 50,
        'object_count': (i * 13) % 100,
        'temp_volume_id': None,
        'temp_snapshot_id': None,
        'num_dependent_backups': 0,
        'snapshot_id': (str(uuid.uuid5(uuid.NAMESPACE_URL,
                                       'vbs-harness-snap-%d' % i))
                        if i % 6 == 5 else None),
        'data_timestamp': created,
        'restore_volume_id': None,
        'encryption_key_id': None,
    }


def _public(row):
    """The row as returned to callers.

    DB column names and values (times in the API's text format), plus
    API-style aliases.
    """
    out = {}
    for key, value in row.items():
        if isinstance(value, datetime.datetime):
            value = value.strftime(API_TIME_FORMAT)
        out[key] = value
    out['name'] = row['display_name']
    out['description'] = row['display_description']
    out['is_incremental'] = bool(row['parent_id'])
    out['has_dependent_backups'] = bool(row['num_dependent_backups'])
    return out


@contextlib.contextmanager
def _inserting(db_path):
    """Connection, backups columns and the time new rows count from.

    Inside one write transaction, committed when the block ends.
    """
    with sqlrows.writing(db_path) as conn:
        columns = sqlrows.table_columns(conn, db_path)
        last = _last_created_at(conn)
        yield conn, columns, FIRST_CREATED_AT if last is None else last


def seed_backups(db_path, n, project_id, user_id, **overrides):
    """Insert ``n`` backups; return them as dicts, oldest first.

    ``overrides`` maps a column (or ``name``/``description``) to a value or
    to a callable ``f(i, row) -> value`` applied to each row.
    """
    with _inserting(db_path) as (conn, columns, base):
        rows = []
        last_full = {}
        by_id = {}
        for i in range(n):
            created = base + datetime.timedelta(seconds=i + 1)
            row = _default_row(i, created, project_id, user_id, last_full)
            for key, value in overrides.items():
                key = _ALIASES.get(key, key)
                row[key] = value(i, row) if callable(value) else value
            if row['parent_id'] in by_id:
                by_id[row['parent_id']]['num_dependent_backups'] += 1
            if not row['parent_id']:
                last_full[row['volume_id']] = row['id']
            by_id[row['id']] = row
            rows.append(row)
        if rows:
            sqlrows.insert(conn, columns,
                           [{k: sqlrows.to_db(v) for k, v in row.items()}
                            for row in rows])
    return [_public(row) for row in rows]


def delete_backups(db_path, ids):
    """Delete backups as Cinder does (soft: deleted=1, status deleted)."""
    with sqlrows.writing(db_path) as conn:
        conn.executemany(
            "UPDATE backups SET deleted = 1, status = 'deleted', "
            "deleted_at = updated_at WHERE id = ?", [(i,) for i in ids])


def just_after(api_time):
    """A created_at half a second after a seeded row's (API text form)."""
    return (datetime.datetime.strptime(api_time, API_TIME_FORMAT)
            + datetime.timedelta(milliseconds=500))


def seed_many(db_path, n, project_ids, user_id, batch=2000):
    """Insert ``n`` backups dealt round-robin over ``project_ids``; return n.

    For large listings: ``seed_backups`` spends most of its time at 100,000
    rows formatting times and building the rows it returns, so here rows go
    in batches, are not returned, and each time is formatted once.  Each
    project's rows vary as ``seed_backups``'s do; an incremental backup's
    parent is in its own project.
    """
    with _inserting(db_path) as (conn, columns, base):
        # The id index outgrows the default page cache at 100,000 rows.
        conn.execute('PRAGMA cache_size = -16384')
        fulls = {project: {} for project in project_ids}
        dependents = collections.Counter()
        for start in range(0, n, batch):
            rows = []
            for i in range(start, min(n, start + batch)):
                project = project_ids[i % len(project_ids)]
                created = base + datetime.timedelta(seconds=i + 1)
                row = _default_row(i // len(project_ids), created, project,
                                   user_id, fulls[project])
                if row['parent_id']:
                    dependents[row['parent_id']] += 1
                else:
                    fulls[project][row['volume_id']] = row['id']
                row['created_at'] = row['updated_at'] = (
                    row['data_timestamp']) = created.strftime(DB_TIME_FORMAT)
                rows.append(row)
            sqlrows.insert(conn, columns, rows)
        conn.executemany(
            'UPDATE backups SET num_dependent_backups = ? WHERE id = ?',
            ((count, backup_id) for backup_id, count in dependents.items()))
    return n


def clear_backups(db_path, project_id=None):
    """Delete all backups (of one project when ``project_id`` is given)."""
    with sqlrows.writing(db_path) as conn:
        if project_id is None:
            conn.execute('DELETE FROM backup_metadata')
            conn.execute('DELETE FROM backups')
        else:
            conn.execute('DELETE FROM backup_metadata WHERE backup_id IN '
                         '(SELECT id FROM backups WHERE project_id = ?)',
                         (project_id,))
            conn.execute('DELETE FROM backups WHERE project_id = ?',
                         (project_id,))


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def seed_volumes(db_path, names, project_id, user_id, deleted=False,
                 ids=None, sizes=None):
    """Insert one volume row per name (display_name); return their ids.

    Only what a volume listing reads: Cinder's default volume type, status
    available.  ``deleted=True`` writes soft-deleted rows; ``ids``: the
    rows' ids, in the order of ``names`` (random by default); ``sizes``
    in GB likewise (1 by default).
    """
    conn = sqlrows.connect(db_path)
    try:
        found = conn.execute(
            "SELECT id FROM volume_types WHERE name = '__DEFAULT__'"
        ).fetchone()
    finally:
        conn.close()
    if not found:
        raise RuntimeError('%s has no __DEFAULT__ volume type' % db_path)
    now = _utcnow()
    ids = ids or [str(uuid.uuid4()) for _ in names]
    sizes = sizes or [1] * len(names)
    rows = [{
        'id': volume_id,
        'created_at': now,
        'updated_at': now,
        'deleted_at': now if deleted else None,
        'deleted': bool(deleted),
        'user_id': user_id,
        'project_id': project_id,
        'display_name': name,
        'size': size,
        'availability_zone': 'nova',
        'status': 'deleted' if deleted else 'available',
        'attach_status': 'detached',
        'volume_type_id': found[0],
        'use_quota': True,
        'bootable': False,
        'multiattach': False,
    } for name, volume_id, size in zip(names, ids, sizes)]
    sqlrows.insert_rows(db_path, 'volumes', rows)
    return [row['id'] for row in rows]


def seed_backup_metadata(db_path, backup_id, items):
    """Give a seeded backup metadata (``{key: value}``), shown from 3.43."""
    now = _utcnow()
    sqlrows.insert_rows(db_path, 'backup_metadata', [{
        'created_at': now, 'updated_at': now, 'deleted': False,
        'backup_id': backup_id, 'key': key, 'value': value,
    } for key, value in items.items()])
