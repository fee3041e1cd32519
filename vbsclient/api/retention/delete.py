"""Deleting one backup: the checks before, the DELETE, the wait after.

Cinder deletes asynchronously: DELETE answers 202, the backup shows
``deleting`` and its row goes away when cinder-backup has destroyed the
data; only then is its parent free. A 404 from DELETE is not "gone": with
no backup service up it is the answer too, and the backup stays.

Cinder checks for dependents only in the caller's project, so a backup of
another project (an admin's) is asked for its children first.
"""

import time
from urllib import parse

from vbsclient.api.http import shapes
from vbsclient.backup import Backup
from vbsclient import exceptions

# Seconds between reads while a backup is deleting: doubling to the cap.
FIRST_POLL = 0.25
POLL_CAP = 2.0


def path_of(backup_id):
    return 'backups/%s' % parse.quote(backup_id, safe='')


def read(client, backup_id):
    """The backup as it is now, or None when it is gone (404)."""
    try:
        url, body = client.get(path_of(backup_id), None,
                               'reading backup %s' % backup_id)
    except exceptions.HTTPError as e:
        if e.status == 404:
            return None
        raise
    return Backup(shapes.backup_of(body, url))


def has_children(client, backup_id):
    """Whether any backup, in any project, names it as parent (admin).

    A server that dropped the filter answers with other backups: that
    reads as "has children", the safe side.
    """
    query = {'parent_id': backup_id, 'all_tenants': 1, 'limit': 1}
    url, body = client.get('backups/detail', query,
                           'looking for children of backup %s' % backup_id)
    return bool(shapes.backups_of(body, url))


def delete(client, backup, wait=True, stopped=None):
    """Delete ``backup`` (a Backup read just before).

    :param wait: wait until it is gone (at most the client's timeout).
    :param stopped: a callable; when it answers true the wait ends early.
    :returns: True once it is gone; False when it was accepted and not
        waited for.
    :raises HasDependents: the server refused (dependents), or it is
        another project's backup and has children.
    :raises BackupServiceUnavailable: DELETE answered 404 and the backup
        is still there.
    :raises DeletionFailed: it turned error_deleting, or was still there
        when the wait ran out.
    """
    backup_id = backup.id
    owner = backup.project_id
    if owner and owner != client.project_id and has_children(
            client, backup_id):
        raise exceptions.HasDependents(
            backup_id, 'a backup of project %s names it as parent' % owner)
    try:
        client.delete(path_of(backup_id), 'deleting backup %s' % backup_id)
    except exceptions.HTTPError as e:
        if e.status == 404:
            if read(client, backup_id) is None:
                return True
            raise exceptions.BackupServiceUnavailable(
                backup_id, e.detail) from e
        if e.status == 400 and 'incremental' in (e.detail or '').lower():
            raise exceptions.HasDependents(backup_id, e.detail) from e
        raise
    if not wait:
        return False
    return wait_gone(client, backup_id, stopped)


def wait_gone(client, backup_id, stopped=None):
    """True once the backup is gone; False when ``stopped()`` first.

    :raises DeletionFailed: error_deleting, or still there after the
        client's timeout.
    """
    timeout = client.timeout
    started = time.monotonic()
    delay = FIRST_POLL
    while True:
        current = read(client, backup_id)
        if current is None:
            return True
        if current.status == 'error_deleting':
            raise exceptions.DeletionFailed(
                backup_id, current.status,
                'backup %s turned error_deleting' % backup_id)
        waited = time.monotonic() - started
        if waited >= timeout:
            raise exceptions.DeletionFailed(
                backup_id, current.status,
                'backup %s still %s %g s after its deletion was accepted '
                '(the request timeout)' % (backup_id, current.status,
                                           timeout))
        if stopped is not None and stopped():
            return False
        time.sleep(min(delay, timeout - waited))
        delay = min(delay * 2, POLL_CAP)


def delete_by_id(client, backup_id, wait=True):
    """``client.backups.delete``: read it, then :func:`delete`.

    :raises NotFound: there is no such backup.
    """
    current = read(client, backup_id)
    if current is None:
        raise exceptions.NotFound('no backup with ID %r' % backup_id)
    delete(client, current, wait)
