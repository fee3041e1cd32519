"""The order removals are deleted in: children before parents.

Cinder refuses to delete a backup while a child row exists, and frees the
parent only once the child is gone. A plan's removals fall into chains
(a removed backup, its removed descendants): chains are independent of
each other, so a deleter may run them in parallel.
"""

import collections

from vbsclient.api.retention import decision

Chain = collections.namedtuple('Chain', 'volume_id decisions children')
Chain.__doc__ = """One independent group of removals.

:ivar volume_id: the volume the backups are of.
:ivar decisions: the removals, newest first: deleted one at a time in this
    order, every child goes before its parent.
:ivar children: {backup id: frozenset of the ids of its removed children},
    for each removal; a backup may be deleted once all of these are gone.
"""


def delete_chains(decisions):
    """The removals of ``decisions`` (a plan, with parent_id set) as chains.

    :returns: a list of :class:`Chain`, ordered by volume, then by their
        newest backup, newest first.
    """
    removals = [d for d in decisions if d.action == decision.REMOVE]
    by_id = {d.backup.id: d for d in removals}
    root = {}
    children = collections.defaultdict(set)
    # Oldest first, so a parent's root is known before its children's.
    oldest_first = reversed(decision.newest_first(d.backup for d in removals))
    for backup in oldest_first:
        parent = by_id[backup.id].parent_id
        if parent in by_id:
            root[backup.id] = root[parent]
            children[parent].add(backup.id)
        else:
            root[backup.id] = backup.id
    members = collections.defaultdict(list)
    for backup in decision.newest_first(d.backup for d in removals):
        members[root[backup.id]].append(by_id[backup.id])
    found = [Chain(group[0].backup.volume_id, tuple(group),
                   {d.backup.id: frozenset(children[d.backup.id])
                    for d in group})
             for group in members.values()]
    # members keeps the newest-first order of each chain's first backup.
    found.sort(key=lambda c: decision.volume_key(c.volume_id))
    return found
