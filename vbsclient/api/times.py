"""Time values: ages callers give (``36h``, ``7d``) and the timestamps the
server writes.

The age format is the one of the retention windows (issue 16): a whole
number and a unit, one of s, m, h, d, w.  Until that parser lands this is
a minimal copy of its age part, to be replaced by it.
"""

import datetime
import re

_AGE = re.compile(r'^\s*(\d+)\s*([smhdw])\s*$')
_UNITS = {'s': 'seconds', 'm': 'minutes', 'h': 'hours', 'd': 'days',
          'w': 'weeks'}


def parse_age(value):
    """A positive ``timedelta`` from one, or from ``<n><unit>`` text.

    Raises ValueError (saying what is wrong) for anything else.
    """
    if isinstance(value, datetime.timedelta):
        age = value
    elif isinstance(value, str):
        match = _AGE.match(value)
        if not match:
            raise ValueError(
                '%r is not an age: give <n><unit>, the unit one of s, m, h, '
                'd, w (as in 36h or 7d)' % value)
        try:
            age = datetime.timedelta(
                **{_UNITS[match.group(2)]: int(match.group(1))})
        except OverflowError:
            raise ValueError('%r is too long an age' % value) from None
    else:
        raise ValueError('%r is not an age: give a timedelta or text such '
                         'as 7d' % (value,))
    if age <= datetime.timedelta(0):
        raise ValueError('%r is not a positive age' % (value,))
    return age


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def server_time(text):
    """The aware UTC datetime of a timestamp the server wrote, or None.

    Cinder writes ``2026-01-01T00:00:59.000000`` (UTC, no zone); a zone,
    ``Z`` included, is honoured.  None for null or unreadable text.
    """
    if not isinstance(text, str):
        return None
    if text.endswith(('Z', 'z')):
        text = text[:-1] + '+00:00'
    try:
        when = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=datetime.timezone.utc)
    return when.astimezone(datetime.timezone.utc)
