"""A prune plan: a keep policy over every volume's backups, with chains.

The policy (:mod:`.policy`) decides over the selected backups of each
volume; the chains (:mod:`.chains`) are computed over all of them, so a
filter narrows what may be removed, never what pins it.
"""

import collections

from vbsclient.api.retention import chains
from vbsclient.api.retention import decision
from vbsclient.api.retention import policy as policy_mod
from vbsclient.backup import Backup


def plan(backups, policy, now, selected=None, remove_errors=False):
    """The decisions for the selected ``backups``.

    :param backups: every backup of the volumes concerned (a
        :class:`~vbsclient.backup.Backup` each, ids unique), selected or
        not.
    :param policy: a :class:`~.policy.KeepPolicy`.
    :param now: the time ``keep_within`` counts back from.
    :param selected: which backups the plan may remove: None (all), a
        predicate on a backup, or a collection of ids (or Backups).
    :param remove_errors: remove backups in status error too.
    :returns: a list of :class:`~.decision.Decision`, one per selected
        backup, ordered by volume id, then newest first.
    :raises EmptyPolicy: no rule is set.
    """
    policy.check()
    is_selected = _selector(selected)
    by_volume = collections.defaultdict(list)
    for backup in backups:
        by_volume[backup.volume_id].append(backup)
    decisions = []
    for volume_id in sorted(by_volume, key=decision.volume_key):
        group = by_volume[volume_id]
        chosen = [b for b in group if is_selected(b)]
        if volume_id is None:
            # Any volume's backup may be its parent or child: never remove.
            decisions.extend(
                decision.Decision(b, decision.SKIP,
                                  [decision.Reason('no_volume', None)])
                for b in decision.newest_first(chosen))
            continue
        decided = policy_mod.decide(chosen, policy, now, remove_errors)
        decisions.extend(chains.close(group, decided))
    return decisions


def _selector(selected):
    if selected is None:
        return lambda backup: True
    if callable(selected):
        return selected
    ids = frozenset(b.id if isinstance(b, Backup) else b for b in selected)
    return lambda backup: backup.id in ids
