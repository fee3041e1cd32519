"""Backups cinder-backup can really delete, seeded; their rows read back.

A seeded row is deletable when its ``host`` and availability zone are the
backup service's, its status is available or error, its ``service`` is the
configured driver (cinder-backup refuses another driver's backups) and its
``container`` and ``service_metadata`` are NULL (the driver then has no
objects to remove).  A chain is ``parent_id`` on each child and
``num_dependent_backups`` on its parent, as Cinder writes them.  Times are in
Cinder's text format with microseconds (``seed`` writes them).
"""

import sqlite3
import time
import uuid

from tests.harness import backupsvc
from tests.harness import seed

DELETABLE = {
    'host': backupsvc.HOST,
    'availability_zone': backupsvc.ZONE,
    'service': backupsvc.DRIVER,
    'container': None,
    'service_metadata': None,
    'status': 'available',
    'fail_reason': None,
    'snapshot_id': None,
    'parent_id': None,
}


def deletable(db_path, n, project_id, user_id, **overrides):
    """``n`` deletable full backups; rows as ``seed.seed_backups`` returns.

    ``overrides`` as there (a value or ``f(i, row)``), e.g. ``status``,
    ``volume_id``, ``created_at``, ``name``.
    """
    return seed.seed_backups(db_path, n, project_id, user_id,
                             **dict(DELETABLE, **overrides))


def chain(db_path, length, project_id, user_id, volume_id=None,
          **overrides):
    """A full backup and ``length - 1`` incrementals, each on the previous.

    One volume (a new id unless given); rows oldest (the full) first.
    """
    ids = []

    def parent(i, row):
        ids.append(row['id'])
        return ids[i - 1] if i else None

    values = dict(DELETABLE, **overrides)
    values.pop('parent_id')
    values['volume_id'] = volume_id or str(uuid.uuid4())
    values['parent_id'] = parent  # last: sees the final id of every row
    return seed.seed_backups(db_path, length, project_id, user_id, **values)


def rows(db_path, ids):
    """``{id: {status, deleted, parent_id, num_dependent_backups}}``.

    Ids without a row are left out; Cinder's delete keeps the row with
    ``deleted`` 1 and status ``deleted``.
    """
    conn = sqlite3.connect(db_path, timeout=60)
    try:
        found = conn.execute(
            'SELECT id, status, deleted, parent_id, num_dependent_backups '
            'FROM backups WHERE id IN (%s)' % ', '.join('?' * len(ids)),
            list(ids)).fetchall()
    finally:
        conn.close()
    return {r[0]: {'status': r[1], 'deleted': bool(r[2]), 'parent_id': r[3],
                   'num_dependent_backups': r[4]} for r in found}


def live(db_path, ids):
    """The ids among ``ids`` whose rows are not deleted."""
    return {i for i, row in rows(db_path, ids).items() if not row['deleted']}


def wait_deleted(db_path, ids, timeout=30):
    """Until every row of ``ids`` is deleted (or gone); else raise."""
    deadline = time.monotonic() + timeout
    while True:
        left = live(db_path, ids)
        if not left:
            return
        if time.monotonic() > deadline:
            raise AssertionError('backups not deleted within %ss: %s'
                                 % (timeout, sorted(left)))
        time.sleep(0.2)
