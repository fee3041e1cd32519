"""What a prune plan reads: the selected backups, and every backup of
their volumes for the chains.

A filter narrows what may be removed, never what pins it, so the chains
need the volumes' other backups too. Without a narrowing filter one
listing of the scope, sorted by volume, serves both, and is planned volume
by volume as it is read; with one, the selection is listed, then each of
its volumes (up to PER_VOLUME of them; beyond, the whole scope once costs
fewer requests).

Only the fields a plan and its table use are kept (:func:`slim`): a plan
may hold every backup of a cloud.
"""

import itertools
import sys

from vbsclient.api.query import params as query_mod
from vbsclient.api.query import refusal
from vbsclient.api.retention import plan as plan_mod
from vbsclient.backup import Backup
from vbsclient.common import backup_fields as fields
from vbsclient import exceptions

SCOPE = ('all_projects', 'project', 'project_domain')
# Keywords of plan_prune's filters (list's, less status and status_like).
FILTERS = ('name', 'volume', 'name_like', 'volume_like', 'incremental',
           'created_before',
           'created_after', 'data_timestamp_before',
           'data_timestamp_after') + SCOPE
# The most volumes read one listing each; more: the scope's whole listing.
PER_VOLUME = 20
# The listing a plan reads when no filter narrows the volumes: each
# volume's backups together (Cinder appends id as the tie-breaker).
BY_VOLUME = 'volume_id:asc,created_at:desc'
KEYS = ('id', 'name', 'status', 'volume_id', 'created_at', 'updated_at',
        'data_timestamp', 'snapshot_id', 'is_incremental', fields.PROJECT_ID)
# Values many backups share, stored once.
_SHARED = ('status', 'volume_id', fields.PROJECT_ID)


class _Fields:
    """The fields a plan uses, with a dict's ``get``, in slots.

    A third of a dict's memory: a plan may hold every backup of a cloud.
    """

    __slots__ = tuple(key.split(':')[-1] for key in KEYS)
    _SLOT = {key: key.split(':')[-1] for key in KEYS}

    def get(self, key, default=None):
        slot = self._SLOT.get(key)
        value = None if slot is None else getattr(self, slot)
        return default if value is None else value

    def as_dict(self):
        return {key: self.get(key) for key in KEYS
                if self.get(key) is not None}

    def __eq__(self, other):
        return isinstance(other, _Fields) and (
            other.as_dict() == self.as_dict())

    __hash__ = None


class PlannedBackup(Backup):
    """A Backup holding only the fields a plan and its table use."""

    __slots__ = ()

    def to_dict(self):
        return self._data.as_dict()


def slim(backup):
    """``backup`` as a :class:`PlannedBackup`.

    The incremental flag is kept decoded (the vendor's description is
    dropped), and data_timestamp only where it differs from created_at
    (the chains read created_at without one).
    """
    data = _Fields()
    for key in KEYS:
        value = backup.raw(key)
        if key in _SHARED and isinstance(value, str):
            value = sys.intern(value)
        setattr(data, _Fields._SLOT[key], value)
    if data.data_timestamp == data.created_at:
        data.data_timestamp = None
    data.is_incremental = backup.is_incremental
    return PlannedBackup(data)


def plan(manager, policy, filters, now, remove_errors=False, on_page=None):
    """The decisions of ``policy`` over the backups ``filters`` select.

    An iterator, volume by volume (each newest first); without a filter
    that narrows the volumes, one listing sorted by volume is planned as
    it is read, holding one volume's backups at a time.

    :param manager: the client's BackupManager (its listings).
    :param filters: plan_prune's filter and scope keywords.
    """
    policy.check()
    scope = {k: v for k, v in filters.items() if k in SCOPE}
    narrowing = {k: v for k, v in filters.items() if k not in SCOPE}
    if not narrowing or set(narrowing) == {'volume'}:
        # The selection is every backup of its volumes.
        listing = manager.list(sort=BY_VOLUME, on_page=on_page, **filters)
        return _per_volume(listing, policy, now, remove_errors)
    return iter(_narrowed(manager, policy, filters, scope, now,
                          remove_errors, on_page))


def _per_volume(listing, policy, now, remove_errors):
    """Decisions of a listing sorted by volume, one volume at a time."""
    planned = set()
    unknown = []
    for volume_id, group in itertools.groupby(
            (slim(b) for b in listing), key=lambda b: b.volume_id):
        if volume_id is None:
            unknown.extend(group)
            continue
        if volume_id in planned:
            raise exceptions.BadResponse(
                'VBS API listed backups of volume %s apart when asked to '
                'sort by volume_id; a plan needs each volume\'s backups '
                'together' % volume_id)
        planned.add(volume_id)
        yield from plan_mod.plan(list(group), policy, now,
                                 remove_errors=remove_errors)
    # A plan orders the backups without a volume last.
    yield from plan_mod.plan(unknown, policy, now,
                             remove_errors=remove_errors)


def _narrowed(manager, policy, filters, scope, now, remove_errors, on_page):
    chosen = [slim(b) for b in manager.list(on_page=on_page, **filters)]
    volume_ids = sorted({b.volume_id for b in chosen if b.volume_id})
    if not volume_ids:
        every = []
    elif len(volume_ids) <= PER_VOLUME:
        read = _volume_reader(manager._backups, scope)
        every = [slim(b) for volume_id in volume_ids
                 for b in read(volume_id)]
    else:
        wanted = frozenset(volume_ids)
        every = [slim(b) for b in manager.list(on_page=on_page, **scope)
                 if b.volume_id in wanted]
    # A backup made or deleted between the listings is in one of them.
    seen = {b.id for b in every}
    every.extend(b for b in chosen if b.id not in seen)
    return plan_mod.plan(every, policy, now,
                         selected={b.id for b in chosen},
                         remove_errors=remove_errors)


def _volume_reader(backups, scope):
    """A function: a volume ID to its Backups in ``scope``.

    ``backups``: the client's listing.plan.Backups; no look-ups but the
    scope's, once.
    """
    filters = backups.resolve.query(query_mod.checked(dict(scope)))

    def read(volume_id):
        query = dict(filters, volume_id=volume_id)
        with refusal.ProjectRefusal(query):
            for raw in backups.rows(query):
                yield Backup(raw)
    return read
