"""What a plan says about one backup: its action and the reasons for it.

A reason is structured (a code and a detail) so that a front end can show
it in its own words; :meth:`Reason.text` gives the library's.
"""

import collections

KEEP = 'keep'
REMOVE = 'remove'
SKIP = 'skip'

# Code -> text; {detail} is the reason's detail, {remove_errors} a term a
# front end may reword (see Reason.text).
_TEXTS = {
    'last': 'last {detail}',
    'hourly': 'hourly {detail}',
    'daily': 'daily {detail}',
    'weekly': 'weekly {detail}',
    'monthly': 'monthly {detail}',
    'yearly': 'yearly {detail}',
    'within': 'within {detail}',
    'newest': 'newest',
    'parent': 'parent of {detail}',
    'status': 'status {detail}',
    'error': 'error (use {remove_errors})',
    'no_time': 'created_at unknown',
    'no_volume': 'volume_id unknown',
    'unordered': 'chain unknown: {detail} has no created_at',
    'no_rule': 'no rule',
}

# Terms in reasons, in API words.
API_WORDS = {'remove_errors': 'remove_errors=True'}


class Reason(collections.namedtuple('Reason', 'code detail')):
    """Why a backup gets its action.

    ``code`` is one of: ``last`` (detail: its rank among the available
    backups, 1 the newest), ``hourly``/``daily``/``weekly``/``monthly``/
    ``yearly`` (detail: the period, e.g. ``2026-12-04T13``,
    ``2026-12-04``, ``2026-W49``, ``2026-12``, ``2026``), ``within``
    (detail: the age, e.g. ``30d``), ``newest`` (the newest available
    backup, kept whatever the rules say), ``parent`` (detail: the id of a
    backup that stays and whose inferred parent this is), ``status``
    (detail: a status other than available, or None if missing),
    ``error`` (status error, kept because errors are not removed),
    ``no_time`` (no created_at), ``no_volume`` (no volume_id: its chain
    cannot be known), ``unordered`` (detail: the id of a
    backup of the same volume without created_at), ``no_rule``.
    """

    __slots__ = ()

    def text(self, names=None):
        """The reason as text; ``names`` rewords terms (remove_errors)."""
        words = dict(API_WORDS)
        words.update((k, v) for k, v in (names or {}).items()
                     if k in API_WORDS)
        detail = self.detail
        if self.code in ('parent', 'unordered'):
            detail = detail[:8]
        elif self.code == 'status' and detail is None:
            detail = 'unknown'
        return _TEXTS[self.code].format(detail=detail, **words)

    def __str__(self):
        return self.text()


class Decision(collections.namedtuple(
        'Decision', 'backup action reasons parent_id result')):
    """One backup in a plan.

    :ivar backup: the :class:`vbsclient.backup.Backup`.
    :ivar action: ``keep``, ``remove`` or ``skip`` (not available: never
        removed, and it keeps its ancestors).
    :ivar reasons: a tuple of :class:`Reason`, never empty.
    :ivar parent_id: the id of the backup inferred as its parent, or None
        (a full backup, or no candidate).
    :ivar result: None; set by whoever carries the plan out.
    """

    __slots__ = ()

    def __new__(cls, backup, action, reasons, parent_id=None, result=None):
        return super().__new__(cls, backup, action, tuple(reasons),
                               parent_id, result)

    def reason_text(self, names=None):
        """The reasons as one line, e.g. ``daily 2026-12-04, last 2``."""
        return ', '.join(r.text(names) for r in self.reasons)


def newest_first(backups):
    """``backups`` newest first: created_at, then id, descending.

    The server's own order (``created_at desc, id desc``), so backups with
    the same created_at are told apart the same way. Backups without a
    created_at come first: nothing says they are older.
    """
    # Each timestamp is decoded once: Backup decodes on every access.
    keyed = [(b.created_at, b.id, b) for b in backups]
    timed = sorted((k for k in keyed if k[0] is not None),
                   key=lambda k: k[:2], reverse=True)
    untimed = sorted((k for k in keyed if k[0] is None),
                     key=lambda k: k[1], reverse=True)
    return [k[2] for k in untimed + timed]


def volume_key(volume_id):
    """Sort key of a plan's volumes: by id, a missing id last."""
    return (volume_id is None, volume_id or '')
