"""Which volumes have a recent backup: the last available backup of each.

The engine only decides what to read and joins; the caller gives it the
readers (lazy iterators: what is not read is not requested).  The cost it
keeps to:

1. the available backups created at or after the cutoff, newest first
   (the age window; a listing that runs past it is left at the first
   older row): the last backup of every covered volume;
2. for the volumes still without one, their newest available backup:
   one ``volume_id=...&status=available&limit=1`` request each, as long
   as they are at most ``probe_bound``; beyond that, the available
   backups older than the cutoff, newest first, read only until every
   such volume has its backup or they end.
"""

import datetime
import re

from vbsclient.api import times
from vbsclient import exceptions

# What an age looks like (times.bound says what is wrong with one).
_AGE_LIKE = re.compile(r'\s*[-+]?\d+\s*[A-Za-z]+\s*\Z')
DEFAULT_MAX_AGE = '1d'

# More uncovered volumes than this and one listing of the older backups
# is read instead of one request per volume.
PROBE_BOUND = 50


class VolumeCoverage:
    """One volume, its last available backup and whether it is covered.

    :ivar volume_id, volume_name, size: the volume's (size in GB).
    :ivar project_id: the volume's project, where the server shows it.
    :ivar last_backup: its newest backup in status available (a Backup),
        or None.
    :ivar last_backup_id: that backup's ID, or None.
    :ivar last_backup_at: its created_at (an aware datetime), or None.
    :ivar covered: whether that backup was created at or after the cutoff
        (now minus the maximum age); False without one.
    """

    __slots__ = ('volume_id', 'volume_name', 'size', 'project_id',
                 'last_backup', 'last_backup_id', 'last_backup_at',
                 'covered')

    def __init__(self, volume, backup, cutoff):
        self.volume_id = volume['id']
        self.volume_name = volume.get('name')
        self.size = volume.get('size')
        self.project_id = volume.get('os-vol-tenant-attr:tenant_id')
        self.last_backup = backup
        self.last_backup_id = backup.id if backup else None
        self.last_backup_at = backup.created_at if backup else None
        self.covered = (self.last_backup_at is not None
                        and self.last_backup_at >= cutoff)

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


def assess(volumes, available, probe, cutoff, uncovered=False,
           probe_bound=PROBE_BOUND, older=None):
    """The VolumeCoverage list of ``volumes``, in their order.

    :param volumes: iterable of volume dicts (id, name, size, ...).
    :param available: iterable of the available Backups, newest first; it
        is read up to the first one created before ``cutoff`` and left
        there (requests for further pages are not made).
    :param probe: ``probe(volume_ids)`` -> {volume_id: its newest
        available Backup or None}, one request per volume.
    :param cutoff: aware datetime; a backup created at or after it covers
        its volume.
    :param uncovered: keep only the volumes not covered.
    :param probe_bound: the most volumes probed one by one.
    :param older: iterable of the available backups created before the
        cutoff, newest first (read instead of probing beyond the bound);
        by default the rest of ``available``.
    """
    volumes = [v for v in volumes if v.get('status') != 'deleted']
    if not volumes:
        return []
    last = {}
    rest = iter(available)
    ended = True
    for backup in rest:
        when = backup.created_at
        if when is None or when < cutoff:
            # The first row past the window: it starts what is older.
            rest = _prepend(backup, rest)
            ended = False
            break
        last.setdefault(backup.volume_id, backup)
    missing = [v['id'] for v in volumes if v['id'] not in last]
    if ended and older is None:
        # The listing ended in the window: there is nothing older.
        missing = []
    if missing and len(missing) <= probe_bound:
        last.update((volume_id, backup) for volume_id, backup
                    in probe(missing).items() if backup)
    elif missing:
        wanted = set(missing)
        for backup in (rest if older is None else older):
            volume_id = backup.volume_id
            if volume_id in wanted:
                wanted.discard(volume_id)
                last.setdefault(volume_id, backup)
                if not wanted:
                    break
    rows = (VolumeCoverage(v, last.get(v['id']), cutoff) for v in volumes)
    return [row for row in rows if not (uncovered and row.covered)]


def _prepend(first, rest):
    yield first
    yield from rest
