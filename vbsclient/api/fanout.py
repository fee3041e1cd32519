"""Fetches the pages of a counted listing concurrently, still exactly.

The first request carries ``with_count`` and tells the total and the
server's page size P.  The other pages are asked for at once by offset,
each starting one row before the previous one ends.  A page counts only
when its first row is the previous page's last row: then it holds exactly
the rows that follow that row now, which is what a marker request would
have answered.  Otherwise the data moved in between, and the listing goes
on from the last row it verified in the marker way (paging.Listing), as it
does after the last page when that page is full: the end is confirmed by a
short page, never by the count alone.

Threads are daemons, so Ctrl-C ends the command at once; the session
authenticated with the first request, before any thread starts.
"""

import threading

from vbsclient.api import paging


class _Page(threading.Thread):
    """One page request in flight."""

    def __init__(self, fetch, query):
        super().__init__(daemon=True, name='vbs-page')
        self.fetch = fetch
        self.query = query
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

    def result(self):
        self.finished.wait()
        if self.error is not None:
            raise self.error
        return self.answer


def plan(total, page_size, offset, limit):
    """(offset, limit) of the pages after the first.

    Each overlaps the one before by a row.
    ``total`` counts every match; ``offset`` is where the listing starts
    and ``limit`` the most rows it may return (None: all).
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
        pages.append((offset + start, size))
        start += page_size - 1
    return pages


def listing(state, first_query, concurrency):
    """Yield the listing of ``state`` (a paging.Listing).

    ``first_query`` must carry with_count and no marker.
    """
    query = dict(first_query)
    if state.limit is not None:
        query['limit'] = state.limit
    url, body, page = state.request(query)
    count = body.get('count')
    state.total = count if type(count) is int else None
    yield from state.accept(page, url)
    next_marker = paging.next_marker_of(body, page)
    if next_marker is None or not page or state.done():
        return
    page_size = len(page)
    if state.total is None or page_size < 2:
        yield from state.sequential(state.after(page, next_marker, url))
        return
    offset = first_query.get('offset', 0)
    todo = plan(state.total, page_size, offset, state.limit)
    started = []
    previous = page

    def start_more():
        while todo and sum(not p.finished.is_set() for p in started) < (
                concurrency):
            at, size = todo.pop(0)
            q = dict(state.filters)
            q['offset'] = at
            q['limit'] = size
            state.count_request()
            p = _Page(state.fetch, q)
            started.append(p)
            p.start()

    start_more()
    read = 1
    while started:
        if state.on_page:
            state.on_page(read, len(state.seen), state.total)
        read += 1
        current = started.pop(0)
        url, body, page = current.result()
        start_more()
        if not page or page[0]['id'] != previous[-1]['id']:
            # The data moved: continue from the last row verified.
            todo.clear()
            break
        yield from state.accept(page[1:], url)
        if state.done():
            return
        previous = page
        if len(page) < current.query['limit']:
            return  # a short page: the end
    yield from state.sequential(state.after(previous, previous[-1]['id'],
                                            url))
