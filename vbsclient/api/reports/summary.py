"""Sums a backup listing up per group, in one pass.

Only one record per group is kept (count, size, oldest and newest
backup), never the listing: memory grows with the number of groups, not
of backups.  The values are those of the detailed listing: the owner from
the admin field, Incremental decoded from the vendor's description form
as ``Backup`` decodes it, sizes as Cinder records them (the volume's size
at backup time, not the bytes stored).
"""

import collections
import datetime

from vbsclient import exceptions

UTC = datetime.timezone.utc

# name_label: the column of the name shown beside the ID (a key whose
# values are IDs of things with names).
GroupKey = collections.namedtuple('GroupKey', 'name label value_of name_label',
                                  defaults=(None,))


def _month(backup):
    """UTC year-month of created_at ('2026-01'), None when it has none."""
    when = backup.created_at
    if when is None:
        return None
    when = when.astimezone(UTC)
    return '%04d-%02d' % (when.year, when.month)


# The group keys in their documented order: the column label each shows
# as and how it is read from a Backup.
GROUP_KEYS = (
    GroupKey('status', 'Status', lambda b: b.status),
    GroupKey('project', 'Project ID', lambda b: b.project_id,
             'Project Name'),
    GroupKey('volume', 'Volume ID', lambda b: b.volume_id, 'Volume Name'),
    GroupKey('availability_zone', 'Availability Zone',
             lambda b: b.availability_zone),
    GroupKey('incremental', 'Incremental', lambda b: b.is_incremental),
    GroupKey('month', 'Month', _month),
)
BY_NAME = {key.name: key for key in GROUP_KEYS}
DEFAULT_GROUP_BY = ('status',)


def check_group_by(group_by):
    """The group keys as a tuple, checked; InvalidParameter if unknown.

    ``group_by`` is a sequence of keys or one string of keys separated by
    commas.  No keys: one row for every backup.
    """
    names = group_by.split(',') if isinstance(group_by, str) else group_by
    try:
        # (key, as given): messages echo what was given.
        given = [(n.strip(), n.strip()) for n in names if n.strip()]
    except (AttributeError, TypeError):
        raise exceptions.InvalidParameter(
            'group_by', group_by, 'give a sequence of key names or one '
            'string of them separated by commas') from None
    names = [name for name, _typed in given]
    for at, (name, typed) in enumerate(given):
        if name not in BY_NAME:
            # A key with an underscore is a term a front end may spell
            # otherwise.  (The others are spelt alike, and some name
            # filters too.)
            raise exceptions.InvalidParameter(
                'group_by', group_by, 'unknown key %s; use %s' % (
                    repr(typed).replace('{', '{{').replace('}', '}}'),
                    ', '.join('{%s}' % k.name if '_' in k.name else k.name
                              for k in GROUP_KEYS)),
                **{k.name: k.name for k in GROUP_KEYS if '_' in k.name})
        if name in names[:at]:
            raise exceptions.InvalidParameter(
                'group_by', group_by, 'the key %r is given twice' % typed)
    return tuple(names)


class GroupSummary:
    """One group of backups, summed up.

    :ivar group: {key: the group's value} for each group key, in the
        order given (a value is None where the backups have none).
    :ivar names: {key: the name of the group's value} for the keys
        ``volume`` and ``project`` when grouped by them (None: a deleted
        volume, an unnamed one, a project the caller may not look up).
    :ivar count: how many backups.
    :ivar size: the sum of their sizes (GB, as Cinder records them: the
        volume's size at backup time, not the bytes stored).
    :ivar oldest: the earliest created_at (an aware datetime; None when
        none of them has one).
    :ivar newest: the latest created_at.
    :ivar oldest_backup: the Backup created first (None as ``oldest``);
        of several created at the same time, the one with the smallest ID.
    :ivar newest_backup: the Backup created last; of several created at
        the same time, the one with the largest ID (the server's order,
        ``created_at desc, id desc``, lists it first).
    """

    __slots__ = ('group', 'names', 'count', 'size', 'oldest', 'newest',
                 'oldest_backup', 'newest_backup', '_oldest_at',
                 '_newest_at')

    def __init__(self, group):
        self.group = group
        self.names = {}
        self.count = 0
        self.size = 0
        self.oldest = self.newest = None
        self.oldest_backup = self.newest_backup = None

    def add(self, backup):
        self.count += 1
        size = backup.size
        if type(size) is int:
            self.size += size
        when = backup.created_at
        if when is None:
            return
        # Ties on created_at go by ID as the server's order does
        # (created_at desc, id desc): the oldest is the smallest ID, the
        # newest the largest, whatever order the backups came in.
        at = (when, backup.id or '')
        if self.oldest is None or at < self._oldest_at:
            self.oldest, self.oldest_backup, self._oldest_at = (
                when, backup, at)
        if self.newest is None or at > self._newest_at:
            self.newest, self.newest_backup, self._newest_at = (
                when, backup, at)

    def to_dict(self):
        data = dict(self.group)
        data.update(('%s_name' % key, name)
                    for key, name in self.names.items())
        data.update(count=self.count, size=self.size, oldest=self.oldest,
                    newest=self.newest)
        return data

    def __repr__(self):
        return '<GroupSummary %r>' % self.to_dict()


def _order(values):
    # Group order: by each key in turn, a missing value after every other.
    return tuple((value is None, value) for value in values)


def summarize(backups, group_by=DEFAULT_GROUP_BY):
    """The GroupSummary list of ``backups`` (Backups, iterated once).

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
