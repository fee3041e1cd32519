"""Age windows: which backups a ``*_before``/``*_after`` parameter keeps.

"Before T" keeps a backup whose field is < T and "after T" one whose
field is >= T, so before(T) and after(T) split every backup that has the
field; both given make the window [after, before).  A backup whose field
is null (or missing) is in no window.
"""

import collections

from vbsclient.api.query import timestamps as times
from vbsclient import exceptions

# Python parameter -> (backup field, bound).
PARAMS = collections.OrderedDict((
    ('created_before', ('created_at', 'before')),
    ('created_after', ('created_at', 'after')),
    ('data_timestamp_before', ('data_timestamp', 'before')),
    ('data_timestamp_after', ('data_timestamp', 'after')),
))
FIELDS = ('created_at', 'data_timestamp')

# Sides of a window, in the field's ascending order.
BEFORE, INSIDE, PAST = -1, 0, 1


class Window:
    """[after, before) on one field; either bound may be None (open)."""

    def __init__(self, field, after=None, before=None):
        self.field = field
        self.after = after
        self.before = before

    def value(self, backup):
        """The backup's field as an aware datetime, None when null."""
        try:
            return times.server_time(backup.get(self.field))
        except ValueError as e:
            raise exceptions.BadResponse(
                'VBS API sent backup %s with %s %s' % (
                    backup.get('id'), self.field, e))

    def side(self, backup):
        """BEFORE, INSIDE or PAST the window; None for a null field."""
        value = self.value(backup)
        if value is None:
            return None
        if self.after is not None and value < self.after:
            return BEFORE
        if self.before is not None and value >= self.before:
            return PAST
        return INSIDE

    def contains(self, backup):
        return self.side(backup) == INSIDE

    def __repr__(self):
        return '%s in [%s, %s)' % (
            self.field,
            '-' if self.after is None else times.text(self.after),
            '-' if self.before is None else times.text(self.before))


def param_of(field, which):
    """The Python parameter of a field's bound ('after' or 'before')."""
    return next(p for p, fw in PARAMS.items() if fw == (field, which))


def from_params(params, now=None):
    """The windows the parameters ask for (one per field), in FIELDS order.

    ``params`` maps Python parameter names to values (None: not given);
    other keys are ignored.  Malformed values and empty windows raise
    InvalidParameter before anything is sent.
    """
    now = times.utcnow() if now is None else times.as_utc(now)
    bounds = {}
    for param, (field, which) in PARAMS.items():
        value = params.get(param)
        if value is not None:
            bounds[field, which] = (times.bound(value, param, now), param,
                                    value)
    windows = []
    for field in FIELDS:
        after = bounds.get((field, 'after'))
        before = bounds.get((field, 'before'))
        if after is None and before is None:
            continue
        if after and before and after[0] >= before[0]:
            # The values as given (they parsed: no braces), and the
            # instants they stand for.
            raise exceptions.InvalidParameter(
                after[1], after[2], '%s is not earlier than {before} %r '
                '(%s): the window is empty' % (
                    times.text(after[0]), before[2], times.text(before[0])),
                before=before[1])
        windows.append(Window(field, after and after[0],
                              before and before[0]))
    return windows


def contains_all(windows, backup):
    return all(w.contains(backup) for w in windows)
