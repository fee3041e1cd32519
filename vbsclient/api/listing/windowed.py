"""Listings and counts of the backups in age windows, reading only what
the windows need.

A listing whose first sort key is a window's field (Cinder's default
order is created_at descending) finds the window's edges by an ordered
search over positions (edges.EdgeSearch), then reads from the row just before
the start, by marker: every row after that row, in the listing's order,
is what the listing holds there now, so the start is exact even if rows
moved since the search.  Pages are sized to the rows the edges say are
left (and read concurrently when asked), every row is checked against
every window on the client, and reading stops at the first row past the
far edge: the paging promise of paging.ListingState holds.  ``offset`` skips
rows of the window, ``limit`` caps them and ``marker`` means the window's
rows after that backup.  (In any other order plan reads the whole
listing and filters it, which is exact too.)

A count searches an ascending listing for both edges and reads no pages.
"""

import itertools
import logging

from vbsclient.api.listing import edges
from vbsclient.api.listing import paging
from vbsclient.api.listing import reach
from vbsclient.api.query import windows as windows_mod
from vbsclient import exceptions

LOG = logging.getLogger(__name__)

# Cinder's order without a sort, and its direction for a key given
# without one.
DEFAULT_ORDER = ('created_at', 'desc')
DEFAULT_DIRECTION = 'desc'
# Under this limit, reading past a window's end costs less than searching
# for the end (about log2(rows) probes of one row each).
SMALL_LIMIT = 50


def side_in_listing(window, direction):
    """``side_of(row)`` for a listing in ``direction`` of the field.

    windows.BEFORE the window in the listing's order, INSIDE or PAST it;
    None for a null field.
    """
    flip = -1 if direction == 'desc' else 1

    def side_of(row):
        side = window.side(row)
        return None if side is None else side * flip
    return side_of


def guesser(window, direction):
    """``guess(lo_row, hi_row, target)`` for edges.EdgeSearch.

    Where the edge's time lies between the two rows' times, as a fraction
    of the way from the first to the second (None when it cannot tell).
    """
    if direction == 'desc':
        bounds = {windows_mod.INSIDE: window.before,
                  windows_mod.PAST: window.after}
    else:
        bounds = {windows_mod.INSIDE: window.after,
                  windows_mod.PAST: window.before}

    def guess(low, high, target):
        bound = bounds.get(target)
        first, second = window.value(low), window.value(high)
        if bound is None or first is None or second is None or (
                first == second):
            return None
        return (bound - first) / (second - first)
    return guess


def searcher(fetch, query, window, direction, counted):
    """An edges.EdgeSearch of ``window`` in a listing in ``direction``."""
    return edges.EdgeSearch(fetch, query, side_in_listing(window, direction),
                            counted, guesser(window, direction))


class _Located:
    """A window's edges in one listing, and the search that found them."""

    def __init__(self, search, start, end, window, direction):
        self.search = search
        self.start = start
        self.end = end  # None: not searched
        self.window = window
        self.flip = -1 if direction == 'desc' else 1

    def side_of(self, row):
        found = self.search.side_of_row(row)
        return self.search.null_side if found is None else found

    def anchors(self, wanted):
        """Where a read may start: (marker id or None, position, side).

        Best first: the row just before position ``wanted``, then the
        probed rows before the window, nearest first, then the start of
        the listing (None, -1, BEFORE).  Never a row whose field is null:
        what follows it differs between servers (Cinder 29 compares a
        null as 1900, older Cinder's ``col > NULL`` keeps only null rows).
        """
        rows = self.search.rows
        found = []
        for p in sorted(rows, reverse=True):
            if (p >= wanted or rows[p] is None
                    or self.search.side_of_row(rows[p]) is None):
                continue
            side = self.side_of(rows[p])
            if p == wanted - 1 and side in (windows_mod.BEFORE,
                                            windows_mod.INSIDE):
                found.append((rows[p]['id'], p, side))
            elif p < self.start and side == windows_mod.BEFORE:
                found.append((rows[p]['id'], p, side))
        found.append((None, -1, windows_mod.BEFORE))
        return found


def count(fetch, filters, windows, read, counted=False,
          max_pages=paging.MAX_PAGES):
    """How many backups match ``filters`` in every one of ``windows``.

    Returns (count, rows seen: the listing's first, if any).
    ``windows``: windows.Window, at least one; ``read(state, marker)``
    reads a paging.ListingState (plan.pages).
    One window field: positions only, no pages.  Windows on two fields:
    the first one's rows are read and checked against the other.
    """
    searched, others = windows[0], windows[1:]
    query = dict(filters)
    query['sort'] = '%s:asc' % searched.field
    search = searcher(fetch, query, searched, 'asc', counted)
    start = search.edge(windows_mod.INSIDE)
    end = search.edge(windows_mod.PAST)
    LOG.debug('%r: positions %d to %d of %s (%d probes)', searched, start,
              end, query, search.probes)
    sample = [search.rows[0]] if search.rows.get(0) else []
    if not others:
        return end - start, sample
    LOG.debug('counting %r by reading the rows of %r: a listing is ordered '
              'by one field', others, searched)
    located = _Located(search, start, end, searched, 'asc')
    rows = _read(fetch, query, located, 0, None, read, max_pages)
    return sum(1 for row in rows
               if windows_mod.contains_all(others, row)), sample


def listing(fetch, base, searched, others, direction, read, counted,
            max_pages, limit=None, offset=None, marker=None, on_page=None):
    """Yield the backups of ``base`` in ``searched`` and every ``others``.

    In the listing's order: ``direction`` of the searched window's field,
    the first key of ``base['sort']``.
    ``limit``, ``offset`` and ``marker`` (a backup id) apply to the
    windowed listing; ``read(state, marker)`` reads a paging.ListingState
    (plan.pages).
    """
    query = dict(base)
    if marker:
        query['marker'] = marker
    search = searcher(fetch, query, searched, direction, counted)
    try:
        start = search.edge(windows_mod.INSIDE)
        end = (None if limit is not None and limit <= SMALL_LIMIT
               else search.edge(windows_mod.PAST))
    except exceptions.HTTPError as e:
        if e.status == 404 and marker:
            raise exceptions.MarkerNotFound(marker, e)
        raise
    LOG.debug('%r: positions %s to %s of %s (%d probes)', searched, start,
              end, query, search.probes)
    located = _Located(search, start, end, searched, direction)
    if not others:
        yield from _read(fetch, base, located, offset or 0, limit, read,
                         max_pages, on_page, marker)
        return
    # The other windows' rows are not contiguous: offset and limit count
    # the rows in all of them.
    rows = _read(fetch, base, located, 0, None, read, max_pages, on_page,
                 marker)
    yield from cap((row for row in rows
                    if windows_mod.contains_all(others, row)),
                   offset, limit)


def _read(fetch, base, located, offset, limit, read, max_pages,
          on_page=None, marker=None):
    """Yield the rows of the located window, checked on the client.

    ``offset`` of them skipped and at most ``limit`` (None: all).
    """
    wanted = located.start + offset
    if located.end is not None and wanted >= located.end:
        return
    if offset:
        # The row before the first wanted one: the read starts after it.
        row = located.search.row_at(wanted - 1)
        if row is None or located.side_of(row) not in (
                windows_mod.BEFORE, windows_mod.INSIDE):
            return  # the window holds no more than offset rows
    for anchor, position, side in located.anchors(wanted):
        # Window rows between the anchor and the first wanted one.
        skip = (offset if side == windows_mod.BEFORE
                else wanted - position - 1)
        state = paging.ListingState(
            fetch, base, on_page=on_page, max_pages=max_pages,
            expected=_expected(located, wanted, position, limit))
        rows = read(state, marker=anchor or marker)
        first = _first(rows, anchor, marker)
        if first is _GONE:
            LOG.debug('backup %s, to read the window after, was deleted; '
                      'starting from an earlier row', anchor)
            continue
        rows = () if first is None else itertools.chain([first], rows)
        yield from _window_rows(located, reach.checked(
            located, rows, anchor or marker,
            position + 1 if side == windows_mod.INSIDE else located.start),
            skip, limit)
        return


def _expected(located, wanted, position, limit):
    """The rows to read after ``position`` (None: not known).

    Up to the first past the window, or the limit's worth: pages are
    sized to them.
    """
    expected = None
    if located.end is not None:
        expected = located.end - position
    if limit is not None:
        needed = wanted - position - 1 + limit
        expected = needed if expected is None else min(expected, needed)
    return expected


def _first(rows, anchor, marker):
    """The first of ``rows`` (None: there is none).

    _GONE when ``anchor``, a row of ours the read starts after, was
    deleted since the search: the caller starts from an earlier one.
    """
    try:
        return next(rows, None)
    except exceptions.MarkerNotFound:
        # Paging's word for a marker it sent that the server lost.
        if anchor is None:
            raise
        return _GONE
    except exceptions.HTTPError as e:
        return _first_page_404(e, anchor, marker)


def _first_page_404(error, anchor, marker):
    """An error answer to the first page: whose marker was not found."""
    if error.status != 404:
        raise error
    if anchor is not None:
        return _GONE
    if marker:
        raise exceptions.MarkerNotFound(marker, error)
    raise error  # no marker sent: the endpoint's own 404


_GONE = object()


def _window_rows(located, rows, skip, limit):
    """The window's rows of ``rows``.

    Those before it passed over, the first ``skip`` of it too; stops past
    its end or at ``limit``.
    """
    def inside():
        for row in rows:
            found = located.side_of(row)
            if found == windows_mod.BEFORE:
                continue
            if found != windows_mod.INSIDE:
                return
            yield row
    return cap(inside(), skip, limit)


def cap(rows, offset, limit):
    """``rows`` after the first ``offset``, at most ``limit`` of them."""
    skip = offset or 0
    for row in rows:
        if skip:
            skip -= 1
            continue
        yield row
        if limit is not None:
            limit -= 1
            if not limit:
                return
