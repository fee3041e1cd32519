"""Incremental chains: each backup's inferred parent, and what stays.

No API answer names a backup's parent (``parent_id`` is in no
microversion's response), so it is inferred the way Cinder chose it when it
made the incremental: the volume's available backup with the newest
``data_timestamp`` (``created_at`` when missing) among those that existed
then, i.e. created before it; for a backup of a snapshot, only those whose
data is older than the snapshot's. Statuses are today's: a backup that was
available then and is not now is not a candidate. The server's refusal to
delete a backup with dependents stays the final word.

A backup whose incremental flag is unknown (None) is treated as
incremental. Every backup that stays (kept, skipped, or not selected)
keeps its ancestors.
"""

import bisect
import collections

from vbsclient.api.retention import decision
from vbsclient.api.retention.decision import Reason


def parents(backups):
    """{backup id: inferred parent id or None} for one volume's backups.

    "Created before" is the order (created_at, id), the server's own, so
    backups with the same created_at are ordered by id. Backups without a
    created_at get None.
    """
    found = {}
    # (data time, created_at, id) of the available backups made so far,
    # sorted: most often each one is appended at the end.
    candidates = []
    for backup in reversed(decision.newest_first(backups)):
        if backup.created_at is None:
            found[backup.id] = None
            continue
        chosen = _pick(backup, candidates)
        found[backup.id] = chosen[2] if chosen else None
        if backup.status == 'available':
            bisect.insort(candidates, _key(backup))
    return found


def parent(backup, earlier):
    """The inferred parent id of one ``backup``, or None.

    :param earlier: its volume's available backups created before it,
        newest created first: what the server lists after a marker at
        ``backup`` (``volume_id=...&status=available``).  Read only as
        far as needed: Cinder writes a backup's data_timestamp at or
        before its created_at, so once the best candidate's data time is
        at or after a row's created_at, no row after it can be newer.
    """
    if backup.created_at is None or backup.is_incremental is False:
        return None
    own = (backup.created_at, backup.id)
    candidates = []
    for row in earlier:
        created = row.created_at
        if (created is None or row.status != 'available'
                or (created, row.id) >= own):
            continue
        bisect.insort(candidates, _key(row))
        best = _pick(backup, candidates)
        if best and best[0] >= created:
            break
    best = _pick(backup, candidates)
    return best[2] if best else None


def _key(backup):
    created = backup.created_at
    return (backup.data_timestamp or created, created, backup.id)


def _pick(backup, candidates):
    """Cinder's choice for ``backup`` among sorted ``candidates``.

    ``candidates``: (data time, created_at, id) of the available backups
    created before it; the one chosen, or None.  The newest data; for a
    backup of a snapshot, the newest older than the snapshot's.
    """
    if backup.is_incremental is False or not candidates:
        return None
    if backup.snapshot_id:
        data_time = backup.data_timestamp or backup.created_at
        at = bisect.bisect_left(candidates, (data_time,))
        return candidates[at - 1] if at else None
    return candidates[-1]


def close(backups, decisions):
    """``decisions`` with the chains' pins applied and parent_id set.

    :param backups: every backup of the volume, selected or not.
    :param decisions: the decisions of the selected ones
        (:func:`.policy.decide`).
    :returns: the decisions in the same order: a removal that a staying
        backup depends on is kept, and each backup a staying one depends on
        lists ``parent`` reasons; with a backup of the volume lacking
        created_at the chains are unknown and every removal is skipped.
    """
    parent_of = parents(backups)
    action_of = {d.backup.id: d.action for d in decisions}
    pinned_by = collections.defaultdict(list)
    for backup in decision.newest_first(backups):
        parent = parent_of[backup.id]
        if parent is not None and (
                action_of.get(backup.id) != decision.REMOVE
                or backup.id in pinned_by):
            pinned_by[parent].append(backup.id)
    untimed = [b.id for b in backups if b.created_at is None]
    closed = []
    for item in decisions:
        # The reasons tuple is shared unless it changes: a plan may hold
        # every backup of a cloud.
        action, reasons = item.action, item.reasons
        children = pinned_by.get(item.backup.id, ())
        if children:
            if action == decision.REMOVE:
                action, reasons = decision.KEEP, ()
            reasons += tuple(Reason('parent', child) for child in children)
        if untimed and action == decision.REMOVE:
            action = decision.SKIP
            reasons = (Reason('unordered', min(untimed)),)
        closed.append(item._replace(action=action, reasons=reasons,
                                    parent_id=parent_of[item.backup.id]))
    return closed
