"""Which volumes have a recent backup: the last covering backup of each.

The definition (used by every report that judges coverage):

- a backup counts when its status is in COVERING_STATUSES (available or
  restoring: both hold complete data);
- it restores to its recovery point: ``data_timestamp``, or
  ``created_at`` where that is missing (recovery_point);
- a volume is covered when one of its backups restores to a point at or
  after the cutoff (now minus the maximum age); its last backup is the
  one restoring to the latest point (latest).

A backup's recovery point is never after its creation, so every
covering backup was created at or after the cutoff: the engine reads
that creation window only, and judges each row on the client.

The engine only decides what to read and joins; the caller gives it the
readers (lazy iterators: what is not read is not requested).  The cost it
keeps to:

1. the counting backups created at or after the cutoff, newest first
   (the age window: its edge found by an ordered search, then only its
   pages);
2. for the volumes still not covered, their newest older backup: one
   one-row request per volume and status, as long as they are at most
   ``probe_bound``; beyond that, the older backups are counted first (a
   few one-row requests) and whichever costs fewer rows is done: reading
   the older listing, newest first, until every such volume has its
   backup or it ends, or probing each volume.
"""

import collections
import datetime
import heapq
import re

from vbsclient.api.query import timestamps as times
from vbsclient import exceptions

# What an age looks like (times.bound says what is wrong with one).
_AGE_LIKE = re.compile(r'\s*[-+]?\d+\s*[A-Za-z]+\s*\Z')
DEFAULT_MAX_AGE = '1d'

# Backups in these statuses hold complete data and count.
COVERING_STATUSES = ('available', 'restoring')

# More uncovered volumes than this and the cost decides between one
# request per volume and one listing of the older backups.
PROBE_BOUND = 50
# Probing a volume, in rows of a listing page: one request per status,
# each answering at most one row, a request's overhead about a row's.
PROBE_COST = 2 * len(COVERING_STATUSES)

_EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)


def recovery_point(backup):
    """The point in time ``backup`` restores to (aware datetime or None).

    Its data_timestamp; its created_at where that is missing.
    """
    if backup is None:
        return None
    when = backup.data_timestamp
    return backup.created_at if when is None else when


def counts(backup):
    """Whether ``backup``'s status lets it cover its volume."""
    return backup.status in COVERING_STATUSES


def covers(backup, cutoff):
    """Whether ``backup`` covers its volume for ``cutoff``."""
    if backup is None or not counts(backup):
        return False
    when = recovery_point(backup)
    return when is not None and when >= cutoff


def latest(backups):
    """Of ``backups``, the one restoring to the latest point, or None.

    Ties (and missing times) go to the one created last.
    """
    def key(backup):
        return (recovery_point(backup) or _EARLIEST,
                backup.created_at or _EARLIEST)
    return max(backups, key=key, default=None)


def newest_first(listings):
    """One newest-first stream of several newest-first ``listings``.

    Lazy: a listing is first read when the stream is.
    """
    return heapq.merge(*listings, reverse=True,
                       key=lambda b: b.created_at or _EARLIEST)


class VolumeCoverage:
    """One volume, its last covering backup and whether it is covered.

    :ivar volume_id, volume_name, size: the volume's (size in GB).
    :ivar volume_status: the volume's status (``available``, ``error``,
        ...), as the volume listing shows it.
    :ivar project_id: the volume's project, where the server shows it.
    :ivar last_backup: its last backup (a Backup in a covering status,
        the one restoring to the latest point), or None.
    :ivar last_backup_id: that backup's ID, or None.
    :ivar last_backup_at: its created_at (an aware datetime), or None.
    :ivar data_timestamp: the point it restores to (recovery_point: its
        data_timestamp, else its created_at; aware datetime), or None.
    :ivar covered: whether that point is at or after the cutoff (now
        minus the maximum age); False without a backup.
    """

    __slots__ = ('volume_id', 'volume_name', 'volume_status', 'size',
                 'project_id', 'last_backup', 'last_backup_id',
                 'last_backup_at', 'data_timestamp', 'covered')

    def __init__(self, volume, backup, cutoff):
        self.volume_id = volume['id']
        self.volume_name = volume.get('name')
        self.volume_status = volume.get('status')
        self.size = volume.get('size')
        self.project_id = volume.get('os-vol-tenant-attr:tenant_id')
        self.last_backup = backup
        self.last_backup_id = backup.id if backup else None
        self.last_backup_at = backup.created_at if backup else None
        self.data_timestamp = recovery_point(backup)
        self.covered = covers(backup, cutoff)

    def to_dict(self):
        return {name: getattr(self, name) for name in self.__slots__
                if name != 'last_backup'}

    def __repr__(self):
        return '<VolumeCoverage %r>' % self.to_dict()


def cutoff(max_age, now=None):
    """The aware UTC time ``max_age`` before ``now`` (default: now).

    ``max_age`` is a timedelta or an age in the windows' format (36h,
    7d); anything else raises InvalidParameter naming max_age.
    """
    if isinstance(max_age, str) and not _AGE_LIKE.match(max_age):
        raise exceptions.InvalidParameter(
            'max_age', max_age, 'give an age <n><unit>, the unit one of s, '
            'm, h, d, w (36h, 7d)')
    if not isinstance(max_age, (str, datetime.timedelta)):
        raise exceptions.InvalidParameter(
            'max_age', max_age, 'give a timedelta or an age such as 7d')
    return times.bound(max_age, 'max_age', now)


def assess(volumes, recent, probe, cutoff, *, older, uncovered=False,
           probe_bound=PROBE_BOUND, count_older=None):
    """The VolumeCoverage list of ``volumes``, in their order.

    :param volumes: iterable of volume dicts (id, name, status, size, ...).
    :param recent: iterable of the counting Backups created at or after
        ``cutoff``, newest first.
    :param probe: ``probe(volume_ids, seen)`` -> {volume_id: its newest
        counting Backup or None, after the ``seen[volume_id, status]``
        newest of that status (read already)}, one request per volume
        and status.
    :param cutoff: aware datetime; a backup restoring to a point at or
        after it covers its volume.
    :param older: iterable of the counting backups created before the
        cutoff, newest first; read only as far as needed.
    :param uncovered: keep only the volumes not covered.
    :param probe_bound: the most volumes probed without counting first.
    :param count_older: ``count_older()`` -> how many backups ``older``
        holds; beyond the bound, the volumes are probed when that costs
        fewer rows than reading them.  None: ``older`` is read.
    :returns: a list of VolumeCoverage.
    """
    volumes = [v for v in volumes if v.get('status') != 'deleted']
    if not volumes:
        return []
    seen = {}
    read = collections.Counter()
    for backup in recent:
        if counts(backup):
            seen.setdefault(backup.volume_id, []).append(backup)
            read[backup.volume_id, backup.status] += 1
    last = {volume_id: latest(found) for volume_id, found in seen.items()}
    missing = [v['id'] for v in volumes
               if not covers(last.get(v['id']), cutoff)]
    if missing:
        found = _older(missing, lambda ids: probe(ids, read), probe_bound,
                       older, count_older)
        for volume_id, backup in found.items():
            if backup is not None and counts(backup):
                last[volume_id] = latest(
                    b for b in (last.get(volume_id), backup) if b)
    rows = (VolumeCoverage(v, last.get(v['id']), cutoff) for v in volumes)
    return [row for row in rows if not (uncovered and row.covered)]


def _older(missing, probe, probe_bound, older, count_older):
    """{volume_id: its newest older Backup} for the ``missing`` volumes.

    Probed one by one up to the bound, or when the older listing would
    cost more rows; else read from ``older`` until each has one.
    """
    if len(missing) <= probe_bound or (
            count_older is not None
            and count_older() > len(missing) * PROBE_COST):
        return probe(missing)
    wanted = set(missing)
    found = {}
    for backup in older:
        volume_id = backup.volume_id
        if volume_id in wanted and counts(backup):
            wanted.discard(volume_id)
            found[volume_id] = backup
            if not wanted:
                break
    return found
