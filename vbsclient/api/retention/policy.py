"""A keep policy and the one function that applies it to one volume.

Rules (each one optional, several may keep the same backup and each is
listed): ``keep_last`` N newest; ``keep_hourly``/``daily``/``weekly``/
``monthly``/``yearly`` N: walking newest first, the newest backup of each
of the N most recent periods that have one (periods without a backup do
not count); ``keep_within``: every backup created at or after now minus
that age. Only available backups are counted; the newest available one is
always kept. Periods are wall-clock periods of the policy's time zone
(weeks are ISO weeks), so the repeated hour when daylight saving time
ends is one hourly period.
"""

import datetime
import re
import zoneinfo

from vbsclient.api.query import timestamps as times
from vbsclient.api.retention import decision
from vbsclient.api.retention.decision import Reason
from vbsclient import exceptions

PERIODS = ('hourly', 'daily', 'weekly', 'monthly', 'yearly')
COUNTS = ('keep_last',) + tuple('keep_' + p for p in PERIODS)

_AGE = re.compile(r'(\d+)\s*([A-Za-z]+)\Z')
# Largest unit first: a timedelta is shown in the largest unit it is a
# whole number of.
_UNITS = sorted(times.AGE_UNITS.items(), key=lambda item: -item[1])
_EARLIEST = datetime.datetime.min.replace(tzinfo=times.UTC)
# The commonest reasons, one object each for every decision that has them.
_NO_RULE = (Reason('no_rule', None),)
_ERROR = (Reason('error', None),)


class KeepPolicy:
    """Which backups of a volume to keep.

    The parameters are the attributes, checked: ``keep_last``,
    ``keep_hourly``, ``keep_daily``, ``keep_weekly``, ``keep_monthly`` and
    ``keep_yearly`` are how many (an int; None and 0 mean the rule is not
    used); ``keep_within`` is an age, a ``timedelta`` or text such as
    ``30d`` (units s, m, h, d, w), kept as a ``timedelta`` (None or zero:
    not used), with ``within_text`` its words in reasons; ``timezone`` is
    the IANA name of the time zone whose calendar the period rules use,
    and ``zone`` its ``tzinfo``.

    :raises InvalidParameter: a value that is none of these.
    """

    def __init__(self, keep_last=None, keep_hourly=None, keep_daily=None,
                 keep_weekly=None, keep_monthly=None, keep_yearly=None,
                 keep_within=None, timezone='UTC'):
        counts = (keep_last, keep_hourly, keep_daily, keep_weekly,
                  keep_monthly, keep_yearly)
        for param, value in zip(COUNTS, counts):
            setattr(self, param, _count(param, value))
        self.keep_within, self.within_text = _age('keep_within',
                                                  keep_within)
        self.timezone = 'UTC' if timezone is None else timezone
        self.zone = _zone('timezone', self.timezone)

    @property
    def is_empty(self):
        """True when no rule is set (only the newest would be kept)."""
        return not (any(getattr(self, p) for p in COUNTS)
                    or self.keep_within)

    def check(self):
        """Raise EmptyPolicy when no rule is set; else return self."""
        if self.is_empty:
            raise exceptions.EmptyPolicy(COUNTS + ('keep_within',))
        return self

    def __repr__(self):
        rules = ['%s=%d' % (p, getattr(self, p)) for p in COUNTS
                 if getattr(self, p)]
        if self.keep_within:
            rules.append('keep_within=%s' % self.within_text)
        rules.append('timezone=%s' % self.timezone)
        return '<KeepPolicy %s>' % ' '.join(rules)


def decide(backups, policy, now, remove_errors=False):
    """The decisions for ``backups`` (one volume's) under ``policy``.

    :param now: the time ``keep_within`` counts back from (aware; naive
        means UTC).
    :param remove_errors: remove backups in status error rather than skip
        them.
    :returns: a list of :class:`~.decision.Decision`, newest first
        (:func:`~.decision.newest_first`); their ``parent_id`` is not set
        (see :mod:`.chains`).
    :raises EmptyPolicy: no rule is set.
    """
    policy.check()
    cutoff = None
    if policy.keep_within:
        try:
            cutoff = times.as_utc(now) - policy.keep_within
        except OverflowError:
            cutoff = _EARLIEST
    seen = {period: set() for period in PERIODS}
    rank = 0
    decisions = []
    for backup in decision.newest_first(backups):
        if backup.created_at is None:
            decisions.append(decision.Decision(
                backup, decision.SKIP, [Reason('no_time', None)]))
            continue
        if backup.status != 'available':
            decisions.append(_not_available(backup, remove_errors))
            continue
        rank += 1
        reasons = []
        if rank <= policy.keep_last:
            reasons.append(Reason('last', rank))
        local = backup.created_at.astimezone(policy.zone)
        for period in PERIODS:
            wanted = getattr(policy, 'keep_' + period)
            label = period_label(period, local)
            if len(seen[period]) < wanted and label not in seen[period]:
                seen[period].add(label)
                reasons.append(Reason(period, label))
        if cutoff is not None and backup.created_at >= cutoff:
            reasons.append(Reason('within', policy.within_text))
        if rank == 1 and not reasons:
            reasons.append(Reason('newest', None))
        if reasons:
            decisions.append(decision.Decision(backup, decision.KEEP,
                                               reasons))
        else:
            decisions.append(decision.Decision(
                backup, decision.REMOVE, _NO_RULE))
    return decisions


def period_label(period, local):
    """The label of the period that the local datetime ``local`` is in."""
    if period == 'hourly':
        return '%04d-%02d-%02dT%02d' % (local.year, local.month, local.day,
                                        local.hour)
    if period == 'daily':
        return '%04d-%02d-%02d' % (local.year, local.month, local.day)
    if period == 'weekly':
        year, week, _ = local.isocalendar()
        return '%04d-W%02d' % (year, week)
    if period == 'monthly':
        return '%04d-%02d' % (local.year, local.month)
    return '%04d' % local.year


def _not_available(backup, remove_errors):
    if backup.status == 'error':
        if remove_errors:
            return decision.Decision(backup, decision.REMOVE,
                                     [Reason('status', 'error')])
        return decision.Decision(backup, decision.SKIP, _ERROR)
    return decision.Decision(backup, decision.SKIP,
                             [Reason('status', backup.status)])


def _count(param, value):
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise exceptions.InvalidParameter(
            param, value, 'expected a whole number, 0 or more')
    return value


def _age(param, value):
    """(timedelta or None, its text for reasons) for an age ``value``."""
    if value is None:
        return None, None
    if isinstance(value, str):
        match = _AGE.match(value.strip())
        unit = match and times.AGE_UNITS.get(match.group(2))
        if not unit:
            raise exceptions.InvalidParameter(
                param, value, 'expected an age such as 30d (units %s)'
                % ', '.join(times.AGE_UNITS))
        count = int(match.group(1))
        try:
            age = count * unit
        except OverflowError:
            raise exceptions.InvalidParameter(param, value,
                                              'the age is too large')
        if not age:
            return None, None
        return age, '%d%s' % (count, match.group(2))
    if not isinstance(value, datetime.timedelta):
        raise exceptions.InvalidParameter(
            param, value, 'expected a timedelta or an age such as 30d')
    if value < datetime.timedelta(0):
        raise exceptions.InvalidParameter(param, value,
                                          'an age cannot be negative')
    if not value:
        return None, None
    for name, unit in _UNITS:
        if not value % unit:
            return value, '%d%s' % (value // unit, name)
    return value, '%gs' % value.total_seconds()


def _zone(param, name):
    if not isinstance(name, str):
        raise exceptions.InvalidParameter(
            param, name, 'expected an IANA time zone name such as '
            'Europe/Berlin')
    try:
        return zoneinfo.ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        pass
    if not zoneinfo.available_timezones():
        raise exceptions.InvalidParameter(
            param, name, 'this system has no time zone database (install '
            'the tzdata package)')
    raise exceptions.InvalidParameter(
        param, name, 'not an IANA time zone name (such as Europe/Berlin)')
