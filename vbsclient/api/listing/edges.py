"""Finds where a window starts and ends in an ordered listing by asking
for single rows at chosen positions (``offset=k&limit=1``).

The listing is ordered by (field, id) (Cinder appends id in the first
key's direction), so a row's side of the window -- BEFORE it in the
listing's order, INSIDE or PAST it (windows: -1, 0, 1) -- never
decreases along it; rows with the same timestamp share a side, so ties
need no care.  An edge is the first position whose side reaches INSIDE
(the start) or PAST (the end),
found by a search over positions, one probe at a time, galloping from
the start when no count gives the listing's length (below microversion
3.45).  It interpolates where the rows on either side allow (backups
are made on schedules, so times grow about evenly along a listing), and
bisects after a guess that did not halve the range: a few probes on
evenly spread times, never more than twice bisection's.  Each probe
costs the server a sort of the listing, so their number matters at
100,000 rows; concurrent probes only queue on a server with few API
workers (on the single-worker test Cinder at 10,000 backups a count
took 0.85 s one at a time and 3.07 s four at a time).

Rows whose field is null are in no window; the database puts them all at
one end of the listing, which the row at position 0 tells.

Probes are answered at different instants.  When rows are created or
deleted meanwhile, each found edge is still the position the edge held at
some instant of the search, so a count (end minus start) is off by at
most the number of rows created or deleted during the search, and exact
when nothing changed.
"""

import logging

from vbsclient.api.query import windows

LOG = logging.getLogger(__name__)

# Past the end of the listing: beyond every side.
END_SIDE = 2
# Growth per probe while the end of the listing is unknown.
GALLOP = 4


class EdgeSearch:
    """The probed rows of one ordered listing.

    :param fetch: ``fetch(query) -> (url, body, backups)``, one request.
    :param query: the listing's query: filters, scope, sort and marker.
    :param side_of: ``side_of(row)`` -> windows.BEFORE, INSIDE or PAST
        in the listing's order, or None when the row's field is null.
    :param counted: the microversion carries ``with_count`` (3.45+): the
        first probe then also tells the listing's length.
    :param guess: ``guess(lo_row, hi_row, target)`` -> the fraction of the
        way from lo to hi where the edge ``target`` likely is, or None.
    """

    def __init__(self, fetch, query, side_of, counted=False, guess=None):
        self.fetch = fetch
        self.query = dict(query)
        self.side_of_row = side_of
        self.counted = counted
        self.rows = {}  # position -> row, or None past the end
        self.total = None
        self.probes = 0
        self.null_side = None
        self.guess = guess

    # -- probing --------------------------------------------------------------

    def row_now(self, position):
        """The row at ``position`` as the server answers now (not kept)."""
        page = self.fetch(self._probe_query(position))[2]
        return page[0] if page else None

    def _probe_query(self, position, with_count=False):
        query = dict(self.query)
        if position:
            query['offset'] = position
        query['limit'] = 1
        if with_count:
            query['with_count'] = 'true'
        return query

    def _store(self, position, answer):
        _url, body, page = answer
        self.probes += 1
        self.rows[position] = page[0] if page else None

    def probe(self, position):
        """Fetch the row at ``position``, unless known."""
        self._start()
        if position not in self.rows:
            self._store(position, self.fetch(self._probe_query(position)))

    def _start(self):
        """The first row (and the listing's length, when counted)."""
        if 0 in self.rows:
            return
        answer = self.fetch(self._probe_query(0, self.counted))
        self._store(0, answer)
        count = answer[1].get('count') if self.counted else None
        if type(count) is int and count >= 0:
            self.total = count
        first = self.rows[0]
        # The database sorts nulls to one end: first or last.
        self.null_side = (windows.BEFORE if first is not None
                          and self.side_of_row(first) is None
                          else windows.PAST)

    def side_at(self, position):
        if self.total is not None and position >= self.total:
            if position not in self.rows:
                return END_SIDE
        row = self.rows[position]
        if row is None:
            return END_SIDE
        found = self.side_of_row(row)
        return self.null_side if found is None else found

    def row_at(self, position):
        """The row at ``position`` (probed if need be), None past the end."""
        if position not in self.rows:
            if self.total is not None and position >= self.total:
                return None
            self.probe(position)
        return self.rows[position]

    # -- the search -----------------------------------------------------------

    def edge(self, target):
        """The first position whose side is ``target`` or more."""
        self._start()
        rounds = 0
        interpolate = True
        width = None
        while True:
            lo, hi = self._bracket(target)
            if self._last_row_unknown(lo, hi):
                # Windows often run to the end of the listing: one probe of
                # the last row then saves the search between.
                self.probe(self.total - 1)
                continue
            if hi is not None and hi - lo <= 1:
                LOG.debug('edge %d of %s at %d: %d probes, %d rounds',
                          target, self.query, hi, self.probes, rounds)
                return hi
            if width is not None and hi is not None:
                # A guess that did not halve the range: bisect once.
                interpolate = not interpolate or 2 * (hi - lo) <= width
            width = None if hi is None else hi - lo
            self.probe(self._next_position(lo, hi, target, interpolate))
            rounds += 1

    def _interpolated(self, lo, hi, target):
        """A position strictly between lo and hi by interpolation, or None."""
        if not self.guess or lo < 0:
            return None
        low, high = self.rows.get(lo), self.rows.get(hi)
        if low is None or high is None:
            return None
        fraction = self.guess(low, high, target)
        if fraction is None:
            return None
        at = lo + int(round(fraction * (hi - lo)))
        return min(max(at, lo + 1), hi - 1)

    def _last_row_unknown(self, lo, hi):
        """Whether only the count bounds the edge, the last row unprobed."""
        return (self.total is not None and hi == self.total
                and self.total - 1 > lo + 1
                and self.total - 1 not in self.rows)

    def _bracket(self, target):
        """The known positions around the edge: (lo, hi).

        hi is the first known position of side >= target (None when none
        is known), lo the last known one before it below target (-1 when
        none).

        Rows that moved between probes can make known sides disagree
        with the order; the bracket keeps the earliest position that
        reached the target and the nearest one before it that did not.
        """
        known = sorted(self.rows)
        if self.total is not None:
            known = sorted(set(known) | {self.total})
        hi = next((p for p in known if self.side_at(p) >= target), None)
        lo = -1
        for p in known:
            if hi is not None and p >= hi:
                break
            if self.side_at(p) < target:
                lo = p
        return lo, hi

    def _next_position(self, lo, hi, target, interpolate=False):
        if hi is None:
            # No known end: gallop (lo >= 0, position 0 is always known).
            return (lo + 1) * GALLOP
        at = self._interpolated(lo, hi, target) if interpolate else None
        if at is not None:
            return at
        return lo + max(1, int(round((hi - lo) / 2)))
