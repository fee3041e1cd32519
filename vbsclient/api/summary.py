"""Sums a backup listing up per group, in one pass.

Only one record per group is kept (count, size, oldest and newest), never
the backups: memory grows with the number of groups, not of backups.  The
values are those ``list --long`` shows: the owner from the admin field,
Incremental decoded from the vendor's description form, sizes as Cinder
records them (the volume's size at backup time, not the bytes stored),
Oldest and Newest the created_at text as the server wrote it.
"""

import collections

from vbsclient.api import exceptions
from vbsclient.api import times
from vbsclient.common import backup_fields
from vbsclient.common import vendor_description

GroupKey = collections.namedtuple('GroupKey', 'name label value_of')


def created_at(backup):
    """The aware UTC created_at of a backup, None when it has none."""
    try:
        return times.server_time(backup.get('created_at'))
    except ValueError as e:
        raise exceptions.BadResponse(
            'VBS API sent backup %s with created_at %s'
            % (backup.get('id'), e))


def _month(backup):
    """UTC year-month of created_at ('2026-01'), None when it has none."""
    when = created_at(backup)
    return None if when is None else '%04d-%02d' % (when.year, when.month)


# The group keys (API terms) in their documented order, with the column
# label each shows as and how it is read from a backup.
GROUP_KEYS = (
    GroupKey('status', 'Status', lambda b: b.get('status')),
    GroupKey('project', 'Project ID',
             lambda b: b.get(backup_fields.PROJECT_ID)),
    GroupKey('volume', 'Volume ID', lambda b: b.get('volume_id')),
    GroupKey('availability_zone', 'Availability Zone',
             lambda b: b.get('availability_zone')),
    GroupKey('incremental', 'Incremental', vendor_description.is_incremental),
    GroupKey('month', 'Month', _month),
)
BY_NAME = {key.name: key for key in GROUP_KEYS}
DEFAULT_GROUP_BY = ('status',)


def check_group_by(group_by):
    """The group keys as a tuple, checked; InvalidParameter if unknown.

    ``availability-zone`` (the CLI's spelling) is taken for
    ``availability_zone``.  No keys: one row for every backup.
    """
    if isinstance(group_by, str):
        group_by = [group_by]
    names = []
    for name in group_by:
        name = name.replace('-', '_') if isinstance(name, str) else name
        if name not in BY_NAME:
            # The key with a dash is a placeholder too: the CLI spells it
            # availability-zone.
            raise exceptions.InvalidParameter(
                ('group_by', 'availability_zone'),
                '%%(group_by)s has an unknown key %s; use %s'
                % (exceptions.literal(repr(name)), ', '.join(
                    '%(availability_zone)s' if k.name == 'availability_zone'
                    else k.name for k in GROUP_KEYS)))
        if name in names:
            raise exceptions.InvalidParameter(
                ('group_by',), '%%(group_by)s has the key %s twice'
                % exceptions.literal(repr(name)))
        names.append(name)
    return tuple(names)


class GroupSummary:
    """One group: its key values, backup count, size sum, oldest, newest.

    ``group`` maps each group key to the group's value (None where the
    backups have none); ``size`` is the sum of the sizes Cinder records
    (GB); ``oldest``/``newest`` are created_at texts as the server wrote
    them (None when no backup of the group has one).
    """

    __slots__ = ('group', 'count', 'size', 'oldest', 'newest',
                 '_oldest_at', '_newest_at')

    def __init__(self, group):
        self.group = group
        self.count = 0
        self.size = 0
        self.oldest = self.newest = None
        self._oldest_at = self._newest_at = None

    def add(self, backup):
        self.count += 1
        size = backup.get('size')
        if type(size) is int:
            self.size += size
        when = created_at(backup)
        if when is None:
            return
        if self._oldest_at is None or when < self._oldest_at:
            self._oldest_at, self.oldest = when, backup['created_at']
        if self._newest_at is None or when > self._newest_at:
            self._newest_at, self.newest = when, backup['created_at']

    def to_dict(self):
        data = dict(self.group)
        data.update(count=self.count, size=self.size, oldest=self.oldest,
                    newest=self.newest)
        return data

    def __repr__(self):
        return '<GroupSummary %r>' % self.to_dict()


def _order(values):
    # Group order: by each key in turn, a missing value after every other.
    return tuple((value is None, value) for value in values)


def summarize(backups, group_by=DEFAULT_GROUP_BY):
    """The GroupSummary list of ``backups`` (an iterable, read once).

    Rows come in group order: by the first key, then the next; a group
    whose value is missing sorts last.
    """
    names = check_group_by(group_by)
    readers = [BY_NAME[name].value_of for name in names]
    groups = {}
    for backup in backups:
        values = tuple(read(backup) for read in readers)
        group = groups.get(values)
        if group is None:
            group = groups[values] = GroupSummary(dict(zip(names, values)))
        group.add(backup)
    return [groups[values] for values in sorted(groups, key=_order)]
