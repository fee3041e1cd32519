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
last row it verified in the marker way (paging.Listing), as it does after
the last page when that page is full: the end is confirmed by a short
page, never by the count alone.

Threads are daemons, so Ctrl-C ends the command at once; the session
authenticated with the first request, before any thread starts.
"""

import queue
import threading

from vbsclient.api import paging
from vbsclient import exceptions

# Pages answered and not yet read, per request in flight: a slow page
# (its connection on a busy server worker) must not idle the others.
AHEAD = 2


class _Page(threading.Thread):
    """One page request in flight; its first row is at ``start``."""

    def __init__(self, fetch, start, query, follows, answered):
        super().__init__(daemon=True, name='vbs-page')
        self.fetch = fetch
        self.start_at = start
        self.query = query
        self.follows = follows
        self.answered = answered
        self.answer = None
        self.error = None
        self.finished = threading.Event()

    def run(self):
        try:
            self.answer = self.fetch(self.query)
        except BaseException as e:  # re-raised in the listing's thread
            self.error = e
        finally:
            self.finished.set()
            self.answered.put(self)

    def result(self):
        self.finished.wait()
        if self.error is not None:
            raise self.error
        return self.answer

    def reach(self):
        """Position of the last row of a full page answered, else None."""
        if self.error is not None:
            return None
        page = self.answer[2]
        if not page or len(page) < self.query['limit']:
            return None
        # A page that follows its marker has no overlap row.
        return self.start_at + len(page) - (0 if self.follows else 1)


def plan(total, page_size, offset, limit):
    """(start, size) of the pages after the first.

    Each starts at the last row of the one before (positions count from
    the first row of the listing).  ``total`` counts every match;
    ``offset`` is where the listing starts and ``limit`` the most rows it
    may return (None: all).
    """
    end = total - offset
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
    """Yield the listing of ``state`` (a paging.Listing).

    ``first_query`` must carry with_count and no marker, unless the
    listing says how many rows it expects (``state.expected``, counted
    from the first row ``first_query`` answers): then the pages are
    planned to that many and the query may start after a marker.
    """
    query = dict(first_query)
    if state.page_limit() is not None:
        query['limit'] = state.page_limit()
    url, body, page = state.request(query)
    state.note_total(body)
    if state.expected is not None:
        span = state.expected
    elif state.total is not None:
        span = state.total - first_query.get('offset', 0)
    else:
        span = None
    next_marker = paging.next_marker_of(body, page)
    page_size = len(page)
    if (next_marker is None or span is None or page_size < 2
            or (state.limit is not None and page_size >= state.limit)):
        yield from state.accept(page, url)
        if next_marker is not None and page and not state.done():
            yield from state.sequential(state.after(page, next_marker, url))
        return
    # Pages end at the limit, else at the rows expected.
    todo = plan(span, page_size, 0, state.limit if state.limit is not None
                else state.expected)
    # The last row verified, and the furthest row answered (verified or
    # not): new pages are asked for after the latter, so the server skips
    # few rows (skipping costs Cinder a sort of them).  Whatever they are
    # asked after, pages are checked against the last row verified.
    frontier = anchor = _Anchor(page, page_size - 1)
    started = []  # in listing order, answered or not
    answered = queue.Queue()

    def note(p):
        nonlocal anchor
        reach = p.reach()
        if reach is not None and reach > anchor.position:
            anchor = _Anchor(p.answer[2], reach)

    def start_more():
        # At most ``concurrency`` requests in flight, and at most AHEAD
        # times that many pages asked for and not yet read.
        while not answered.empty():
            note(answered.get())
        in_flight = sum(not p.finished.is_set() for p in started)
        while (todo and in_flight < concurrency
               and len(started) < AHEAD * concurrency):
            start, size = todo.pop(0)
            q, follows = anchor.query(state.filters, start, size)
            state.count_request()
            p = _Page(state.fetch, start, q, follows, answered)
            started.append(p)
            p.start()
            in_flight += 1

    # Pages are asked for before rows are handed out: the caller's work
    # on them (formatting) overlaps the server's.
    start_more()
    yield from state.accept(page, url)
    read = 1
    while started:
        start_more()  # for pages answered while rows were handed out
        if state.on_page:
            state.on_page(read, len(state.seen), state.total)
        read += 1
        current = started[0]
        while not current.finished.is_set():
            note(answered.get())  # some page was answered: ask for more
            start_more()
        started.pop(0)
        try:
            url, body, page = current.result()
        except exceptions.HTTPError as e:
            if e.status != 404:
                raise
            break  # the marker row went: continue from the frontier
        if current.follows:
            verified = current.query['marker'] == frontier.last_id
            new = page
        else:
            verified = bool(page) and page[0]['id'] == frontier.last_id
            new = page[1:]
        if not verified:
            break  # the data moved: continue from the frontier
        end = not new or len(page) < current.query['limit']  # a short page
        if not end:
            frontier = _Anchor(page, frontier.position + len(new))
            start_more()
        yield from state.accept(new, url)
        if end or state.done():
            return
    todo.clear()
    yield from state.sequential(state.after(frontier.rows, frontier.last_id,
                                            url))
