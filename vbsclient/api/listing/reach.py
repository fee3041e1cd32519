"""Whether a windowed read, started after a row before the window,
reaches the window's first row.

A server that skips rows after a marker (older Cinder after a marker
whose key is null, for one) would end the window early, or make it empty,
in silence.  The first row read that is not before the window must be
the row the search found at the window's start, or one no later (created
since); otherwise that position is asked for again, and if the row is
still there the server skipped it: a PaginationError, not a short answer.
"""

import datetime
import logging

from vbsclient.api.query import windows as windows_mod
from vbsclient import exceptions

LOG = logging.getLogger(__name__)


def checked(located, rows, after, position):
    """``rows``, read after backup ``after`` (None: from the start).

    Checked to reach the row the search found at ``position``, when it
    found one in the window (``located``: windowed._Located).
    """
    rows = iter(rows)
    expected = located.search.rows.get(position)
    if expected is None or located.side_of(expected) != windows_mod.INSIDE:
        yield from rows
        return
    for row in rows:
        if located.side_of(row) != windows_mod.BEFORE:
            _check(located, row, expected, after, position)
            yield row
            yield from rows
            return
        yield row
    _check(located, None, expected, after, position)


def _check(located, row, expected, after, position):
    if row is not None and located.side_of(row) == windows_mod.INSIDE:
        if row['id'] == expected['id']:
            return
        gap = located.window.value(row) - located.window.value(expected)
        if gap * located.flip <= datetime.timedelta(0):
            return  # a row created since, no later than the one expected
    now = located.search.row_now(position)
    if now is None or now['id'] != expected['id']:
        LOG.debug('backup %s is no longer at position %d: the data moved '
                  'since the search', expected['id'], position)
        return
    raise exceptions.PaginationError(
        'VBS API skipped backup %s, the first of the window %r, when asked '
        'for the backups %s; stopping rather than list the window without '
        'it' % (expected['id'], located.window,
                'after backup %s' % after if after
                else 'from the start of the listing'))
