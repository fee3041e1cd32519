"""Time values: what a caller gives for a window bound, and what Cinder
writes in a backup's timestamp fields.

A bound is a ``datetime`` (naive means UTC), a ``timedelta`` (an age:
that long before now), or a string: an ISO 8601 date (midnight UTC), a
date-time with or without a zone (none means UTC, which is what Cinder
stores) or an age ``<n><unit>`` with the unit one of s, m, h, d, w.
Every value becomes an aware UTC datetime, so comparisons never mix
naive and aware values.
"""

import datetime
import re

from vbsclient import exceptions

UTC = datetime.timezone.utc

AGE_UNITS = {
    's': datetime.timedelta(seconds=1),
    'm': datetime.timedelta(minutes=1),
    'h': datetime.timedelta(hours=1),
    'd': datetime.timedelta(days=1),
    'w': datetime.timedelta(weeks=1),
}

_AGE = re.compile(r'(?P<sign>[-+]?)(?P<n>\d+)\s*(?P<unit>[A-Za-z]+)\Z')
_DATE = re.compile(r'(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})')
# Date-time: a 'T' or a space, minutes required, seconds and fraction
# optional; the zone 'Z' or +HH:MM, +HHMM, +HH.
_DATE_TIME = re.compile(
    r'(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[Tt ]'
    r'(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?'
    r'\s*(?P<zone>[Zz]|[-+]\d{2}(?::?\d{2})?)?\Z')

FORMATS = ('an ISO 8601 date (2026-11-01), a date-time (2026-11-01T08:00, '
           'with or without a zone such as Z or +02:00) or an age such as '
           '30d (units s, m, h, d, w)')


def utcnow():
    return datetime.datetime.now(UTC)


def as_utc(value):
    """An aware UTC datetime for ``value`` (a naive one is UTC)."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def bound(value, param, now=None):
    """The aware UTC datetime a window bound ``value`` stands for.

    :param param: the Python parameter it was given as, for errors.
    :param now: the time ages count back from (default: now); one value
        per call, so every bound of a query counts from the same instant.
    """
    now = utcnow() if now is None else as_utc(now)
    if isinstance(value, datetime.datetime):
        return as_utc(value)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day,
                                 tzinfo=UTC)
    if isinstance(value, datetime.timedelta):
        if value < datetime.timedelta(0):
            raise _invalid(param, value, 'an age cannot be negative')
        return _before(now, value, param, value)
    if isinstance(value, str):
        return _parse(value.strip(), param, now)
    raise _invalid(param, value, 'expected a datetime, a timedelta or a '
                   'string')


def _parse(text, param, now):
    age = _AGE.match(text)
    if age:
        unit = AGE_UNITS.get(age.group('unit'))
        if unit is None:
            raise _invalid(param, text, 'unknown unit %r (use one of %s)'
                           % (age.group('unit'), ', '.join(AGE_UNITS)))
        if age.group('sign') == '-':
            raise _invalid(param, text, 'an age cannot be negative')
        try:
            age = int(age.group('n')) * unit
        except OverflowError:
            raise _invalid(param, text, 'the age reaches before year 1')
        return _before(now, age, param, text)
    match = _DATE.match(text)
    if match and match.end() == len(text):
        return _build(match, param, text)
    match = _DATE_TIME.match(text)
    if match:
        return _build(match, param, text)
    raise _invalid(param, text, 'not a time: give ' + FORMATS)


def _before(now, age, param, given):
    """``age`` before ``now``.

    ``given`` is the value as the caller gave it, for the message (never
    the converted age).
    """
    try:
        return now - age
    except OverflowError:
        raise _invalid(param, given, 'the age reaches before year 1')


def _build(match, param, text):
    parts = match.groupdict()
    fraction = (parts.get('f') or '').ljust(6, '0')[:6]
    try:
        value = datetime.datetime(
            int(parts['y']), int(parts['mo']), int(parts['d']),
            int(parts.get('h') or 0), int(parts.get('mi') or 0),
            int(parts.get('s') or 0), int(fraction or 0),
            tzinfo=_zone(parts.get('zone')))
    except ValueError as e:
        raise _invalid(param, text, str(e))
    return value.astimezone(UTC)


def _zone(text):
    if not text or text in 'Zz':
        return UTC
    sign = -1 if text[0] == '-' else 1
    digits = text[1:].replace(':', '')
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError('zone offset %s out of range' % text)
    return datetime.timezone(
        sign * datetime.timedelta(hours=hours, minutes=minutes))


def _invalid(param, value, why):
    return exceptions.InvalidParameter(param, value, why)


def server_time(text):
    """An aware UTC datetime for a timestamp as the server writes it.

    The one parser of server timestamps (``Backup`` and the windows), the
    same on every Python (3.10's ``fromisoformat`` is stricter than
    3.11's): a date, 'T' or a space, the time with seconds optional and a
    fraction of 1 to 9 digits (cut to microseconds), then a zone 'Z',
    +HH:MM, +HHMM, +HH or none (UTC, as Cinder writes them):
    ``2026-01-01T08:00:40.000000``, ``2026-01-01 00:00:59.000000``,
    ``2026-04-14T00:00:04.12Z``, ``...+0000``.  None for a null or missing
    field; ValueError for anything else.
    """
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError('not a timestamp: %r' % (text,))
    match = _DATE_TIME.match(text.strip())
    if not match:
        raise ValueError('not a timestamp: %r' % (text,))
    parts = match.groupdict()
    fraction = (parts.get('f') or '').ljust(6, '0')[:6]
    return datetime.datetime(
        int(parts['y']), int(parts['mo']), int(parts['d']),
        int(parts['h']), int(parts['mi']), int(parts.get('s') or 0),
        int(fraction), tzinfo=_zone(parts.get('zone'))).astimezone(UTC)


def text(value):
    """A bound for messages: ISO 8601 in UTC with a Z."""
    return value.astimezone(UTC).isoformat().replace('+00:00', 'Z')
