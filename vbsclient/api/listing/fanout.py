"""Fetches the pages of a counted listing concurrently, still exactly.

The first request carries ``with_count`` and tells the total and the
server's page size P.  The other pages are asked for by offset, each
starting one row before the previous one ends, with up to the concurrency
in flight; pages answered before the one that must be read first wait,
up to AHEAD times the concurrency, so a page stuck on a busy server worker
does not idle the others.  The offset counts from the last row of the
furthest page answered so far, sent as the marker, so the server skips
few rows.  A page counts only when its first
row is the previous page's last row (or, asked for right after that row,
when it follows it by the marker): then it holds exactly the rows that
follow that row now, which is what a marker request would have answered.
Otherwise the data moved in between, and the listing goes on from the
last row it verified in the marker way (paging.ListingState), as it does after
the last page when that page is full: the end is confirmed by a short
page, never by the count alone.

Requests run in daemon threads (concurrent.Call), so Ctrl-C ends the
command at once; the session authenticated with the first request,
before any thread starts.
"""

import queue

from vbsclient.api.listing import concurrent
from vbsclient.api.listing import paging
from vbsclient import exceptions

# Pages answered and not yet read, per request in flight: a slow page
# (its connection on a busy server worker) must not idle the others.
AHEAD = 2


class _Page:
    """One page request in flight; its first row is at ``start``."""

    def __init__(self, fetch, start, query, follows, answered):
        self.start_at = start
        self.query = query
        self.follows = follows
        self.call = concurrent.Call(fetch, query,
                                    lambda _call: answered.put(self),
                                    name='vbs-page')
        self.finished = self.call.finished

    def result(self):
        return self.call.result()

    def reach(self):
        """Position of the last row of a full page answered, else None."""
        if self.call.error is not None:
            return None
        page = self.call.answer[2]
        if not page or len(page) < self.query['limit']:
            return None
        # A page that follows its marker has no overlap row.
        return self.start_at + len(page) - (0 if self.follows else 1)


def plan(total, page_size, limit):
    """(start, size) of the pages after the first.

    Each starts at the last row of the one before (positions count from
    the first page's first row).  ``total`` counts the rows from there;
    ``limit`` is the most rows the listing may return (None: all).
    """
    end = total
    if limit is not None:
        end = min(end, limit)
    pages = []
    start = page_size - 1
    while start + 1 < end:
        size = page_size
        if limit is not None:
            size = min(size, end - start)
        pages.append((start, size))
        start += page_size - 1
    return pages


class _Anchor:
    """A row pages are asked for after: its id and its listing position."""

    def __init__(self, rows, position):
        self.rows = rows
        self.last_id = rows[-1]['id']
        self.position = position

    def query(self, filters, start, size):
        """The request for the page whose first row is at ``start``.

        Returns (query, follows): ``follows`` when the page is asked for
        right after the anchor's row and so holds no overlap row.
        """
        q = dict(filters)
        q['marker'] = self.last_id
        if start <= self.position:
            q['limit'] = size - 1
            return q, True
        if start > self.position + 1:
            q['offset'] = start - self.position - 1
        q['limit'] = size
        return q, False


def listing(state, first_query, concurrency):
    """Yield the listing of ``state`` (a paging.ListingState).

    ``first_query`` must carry with_count and no marker, unless the
    listing says how many rows it expects (``state.expected``, counted
    from the first row ``first_query`` answers): then the pages are
    planned to that many and the query may start after a marker.
    """
    yield from _FanOut(state, concurrency).rows(first_query)


class _FanOut:
    """The steps of one listing by concurrent pages.

    Two rows move forward.  ``frontier`` is the last row verified: every
    page is checked against it, and the listing continues from it in the
    marker way when a check fails.  ``anchor`` is the furthest row
    answered, verified or not: new pages are asked for after it, so the
    server skips few rows (skipping costs Cinder a sort of them).
    """

    def __init__(self, state, concurrency):
        self.state = state
        self.concurrency = concurrency
        self.todo = []  # (start, size) of the pages not asked for yet
        self.started = []  # asked for and not read, in listing order
        self.answered = queue.Queue()  # pages, as their answers arrive
        self.frontier = self.anchor = None
        self.url = None  # of the last page read, for messages
        self.offset = 0  # of the first page

    def rows(self, first_query):
        """Yield the rows of the listing.

        The first page, then each planned page in turn once verified; the
        rest by marker from the frontier when a page fails its check or
        the last one is full.
        """
        page, next_marker = self.first_page(first_query)
        if not self.worth_fanning_out(page, next_marker):
            yield from self.state.accept(page, self.url)
            if next_marker is not None and page and not self.state.done():
                yield from self.state.sequential(
                    self.state.after(page, next_marker, self.url))
            return
        self.plan_pages(first_query, page)
        # Pages are asked for before rows are handed out: the caller's work
        # on them (formatting) overlaps the server's.
        self.start_more()
        yield from self.state.accept(page, self.url)
        read = 1
        while self.started:
            self.start_more()  # for pages answered while rows were handed out
            if self.state.on_page:
                self.state.on_page(read, len(self.state.seen),
                                   self.state.total)
            read += 1
            current = self.take_next_page()
            verified = self.verify(current)
            if verified is None:
                break
            page, new = verified
            end = not new or len(page) < current.query['limit']  # short
            if not end:
                self.advance(page, new)
            yield from self.state.accept(new, self.url)
            if end or self.state.done():
                return
        yield from self.fall_back()

    def first_page(self, first_query):
        """Read the first page, with the total; (rows, next marker)."""
        self.offset = first_query.get('offset', 0)
        query = dict(first_query)
        if self.state.page_limit() is not None:
            query['limit'] = self.state.page_limit()
        self.url, body, page = self.state.request(query)
        self.state.note_total(body)
        return page, paging.next_marker_of(
            body, page, self.state.links_key)

    def worth_fanning_out(self, page, next_marker):
        """Whether more pages follow, counted, that a page can split."""
        limit = self.state.limit
        return not (next_marker is None or self.span is None
                    or len(page) < 2
                    or (limit is not None and len(page) >= limit))

    @property
    def span(self):
        """Rows from the first page's first on: expected, else counted."""
        if self.state.expected is not None:
            return self.state.expected
        if self.state.total is not None:
            return self.state.total - self.offset
        return None

    def plan_pages(self, first_query, page):
        """Plan the pages after the first, whose last row is verified.

        They end at the limit, else at the rows expected.
        """
        state = self.state
        self.todo = plan(self.span, len(page), state.limit
                         if state.limit is not None else state.expected)
        self.frontier = self.anchor = _Anchor(page, len(page) - 1)

    def note(self, answered):
        """Move the anchor to the end of a page answered, if further."""
        reach = answered.reach()
        if reach is not None and reach > self.anchor.position:
            self.anchor = _Anchor(answered.call.answer[2], reach)

    def start_more(self):
        """Ask for planned pages, after the anchor.

        At most ``concurrency`` requests in flight, and at most AHEAD
        times that many pages asked for and not yet read.
        """
        while not self.answered.empty():
            self.note(self.answered.get())
        in_flight = sum(not p.finished.is_set() for p in self.started)
        while (self.todo and in_flight < self.concurrency
               and len(self.started) < AHEAD * self.concurrency):
            start, size = self.todo.pop(0)
            query, follows = self.anchor.query(self.state.filters, start,
                                               size)
            self.state.count_request()
            p = _Page(self.state.fetch, start, query, follows, self.answered)
            self.started.append(p)
            p.call.start()
            in_flight += 1

    def take_next_page(self):
        """The page to read next, once answered.

        While it is not, every page answered lets more be asked for.
        """
        current = self.started[0]
        while not current.finished.is_set():
            self.note(self.answered.get())
            self.start_more()
        return self.started.pop(0)

    def verify(self, current):
        """(rows, rows after the frontier) of ``current``, or None.

        None when it cannot be trusted: its marker row went (404), or it
        does not start at the frontier (the data moved in between).
        """
        try:
            self.url, _body, page = current.result()
        except exceptions.HTTPError as e:
            if e.status != 404:
                raise
            return None
        if current.follows:
            verified = current.query['marker'] == self.frontier.last_id
            new = page
        else:
            verified = bool(page) and page[0]['id'] == self.frontier.last_id
            new = page[1:]
        return (page, new) if verified else None

    def advance(self, page, new):
        """The frontier moves to the end of a verified, full page."""
        self.frontier = _Anchor(page, self.frontier.position + len(new))
        self.start_more()

    def fall_back(self):
        """Go on from the frontier one page at a time (paging.ListingState)."""
        self.todo.clear()
        yield from self.state.sequential(self.state.after(
            self.frontier.rows, self.frontier.last_id, self.url))
