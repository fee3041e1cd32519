"""Pages through a listing by marker, exactly, while data may move.

Backups, and volumes (``kind='volume'``: the same paging on
``volumes/detail``).

The promise: every backup that exists for the whole listing is yielded
exactly once, in the server's order; a backup created or deleted meanwhile
may or may not be.  Only the marker moves between requests: the next
link's marker is read, never its URL, so requests (and the token) stay on
the endpoint.  A marker the server no longer knows (its backup was deleted
after the page was read) is not an error: the listing continues from the
latest row of that page that still exists and skips the rows it repeats.
"""

from urllib import parse

from vbsclient import exceptions

# A server that keeps writing next links with fresh markers is stopped.
MAX_PAGES = 10000


class ListingState:
    """State of one listing: what was yielded and the last page read.

    ``fetch(query)`` returns ``(url, body, items)`` for one request;
    ``kind`` names the items ('backup' or 'volume'): their next links are
    under ``<kind>s_links``.
    """

    def __init__(self, fetch, filters, limit=None, on_page=None,
                 max_pages=MAX_PAGES, expected=None, kind='backup'):
        self.fetch = fetch
        self.kind = kind
        self.links_key = '%ss_links' % kind
        self.filters = dict(filters)
        self.limit = limit
        # A hint, not a stop: the rows the caller expects to read (a time
        # window's size, from its edges).  Pages are sized to it, and
        # concurrent pages planned to it without a count; past it the
        # listing goes on in the server's pages.
        self.expected = expected
        self.on_page = on_page
        self.max_pages = max_pages
        self.seen = set()
        self.pages = 0
        self.total = None
        self.used_markers = set()
        # Ids of the last page read, in order: where to continue from when
        # the server forgets the marker.
        self.last_page = []

    def done(self):
        return self.limit is not None and len(self.seen) >= self.limit

    def page_limit(self, skip=frozenset()):
        """The limit of the next page.

        What remains of the limit, else of the expected rows, else None
        (the server's page size).
        """
        if self.limit is not None:
            return self.limit - len(self.seen) + len(skip)
        if self.expected is not None and len(self.seen) < self.expected:
            return self.expected - len(self.seen) + len(skip)
        return None

    def accept(self, page, url, skip=frozenset()):
        """Yield the new backups of ``page``.

        ``skip``: ids repeated on purpose after continuing from an earlier
        row.
        """
        for backup in page:
            backup_id = backup['id']
            if backup_id in self.seen:
                if backup_id in skip:
                    continue
                raise exceptions.PaginationError(
                    'VBS API returned %s %s twice while paging %s; the '
                    'listing would not be exact' % (self.kind, backup_id,
                                                    url))
            self.seen.add(backup_id)
            yield backup
            if self.done():
                return

    def note_total(self, body):
        """The count a with_count answer gives (None when it gives none)."""
        count = body.get('count')
        self.total = count if type(count) is int else None

    def count_request(self):
        self.pages += 1
        if self.pages > self.max_pages:
            raise exceptions.PaginationError(
                'VBS API still sent a next link after {pages} pages; '
                'stopping (narrow the listing or use {limit})',
                {'pages': self.max_pages, 'limit': 'limit'},
                terms=('limit',))

    def request(self, query):
        self.count_request()
        return self.fetch(query)

    def first_query(self, marker=None, offset=None, with_count=False):
        query = dict(self.filters)
        if marker:
            query['marker'] = marker
            self.used_markers.add(marker)
        if offset:
            query['offset'] = offset
        if with_count:
            query['with_count'] = 'true'
        return query

    def sequential(self, query, skip=frozenset()):
        """Yield from ``query`` on, following next markers to the end.

        ``query`` carries the user's marker on a first request, else the
        marker of a row this listing already read.
        """
        user_marker = self.pages == 0 and query.get('marker')
        fallback = None
        while not self.done():
            limit = self.page_limit(skip)
            if limit is not None:
                query['limit'] = limit
            try:
                url, body, page = self.request(query)
            except exceptions.HTTPError as e:
                if e.status != 404 or 'marker' not in query:
                    raise
                if user_marker:
                    raise exceptions.MarkerNotFound(query['marker'], e)
                if fallback is None:
                    fallback = _Fallback(self.last_page, query['marker'],
                                         self.kind)
                query, skip = fallback.next(self.filters, e)
                continue
            fallback = None
            if self.pages == 1 and 'with_count' in query:
                self.note_total(body)
            yield from self.accept(page, url, skip)
            next_marker = next_marker_of(body, page, self.links_key)
            if next_marker is None or not page or self.done():
                return
            query = self.after(page, next_marker, url)
            skip = frozenset()
            user_marker = False

    def after(self, page, marker, url):
        """The query for the page after ``page``, which ends at ``marker``.

        Our own filters stay authoritative; the offset and with_count
        apply once, to the first page.
        """
        self.last_page = [backup['id'] for backup in page]
        if marker in self.used_markers:
            raise exceptions.PaginationError(
                'VBS API sent the next marker %s again while paging %s; '
                'stopping instead of looping' % (marker, url))
        self.used_markers.add(marker)
        if self.on_page:
            self.on_page(self.pages, len(self.seen), self.total)
        query = dict(self.filters)
        query['marker'] = marker
        return query


class _Fallback:
    """Where to continue when the server no longer knows a marker.

    After the latest row before it, on the page just read, that still
    exists.
    Rows are tried stepping back 1, 2, 4, ... rows and the page's first
    row last, so a page deleted whole costs a few requests, not one per
    row; the rows after the one continued from are read again and skipped.
    """

    def __init__(self, page_ids, lost, kind='backup'):
        self.kind = kind
        self.ids = page_ids
        self.lost = lost
        self.end = page_ids.index(lost) if lost in page_ids else len(page_ids)
        self.candidates = _candidates(self.end)
        self.tried = 0

    def next(self, filters, error):
        at = next(self.candidates, None)
        if at is None:
            raise exceptions.PaginationError(
                'VBS %ss were deleted while listing: the server no '
                'longer knows %s %s, after which the listing was to '
                'continue, nor %s of the %d %ss before it on the page '
                'just read; stopping rather than guess (run it again)'
                % (self.kind, self.kind, self.lost, 'any'
                   if self.tried == self.end
                   else 'the %d tried' % self.tried, self.end, self.kind))
        self.tried += 1
        query = dict(filters)
        query['marker'] = self.ids[at]
        return query, frozenset(self.ids[at + 1:])


def _candidates(end):
    """Indexes below ``end``: end-1 stepped back by 0, 1, 2, 4, ...

    (end-1, end-2, end-3, end-5, end-9, ...), and 0 last.
    """
    step = 1
    at = end - 1
    while at > 0:
        yield at
        at = end - 1 - step
        step *= 2
    if end > 0:
        yield 0


def next_marker_of(body, page, links_key='backups_links'):
    """The marker of the top-level rel=next link, or None at the end."""
    links = body.get(links_key)
    if not isinstance(links, list):
        return None
    for link in links:
        if not isinstance(link, dict) or link.get('rel') != 'next':
            continue
        href = link.get('href')
        if not isinstance(href, str):
            return None
        query = parse.parse_qs(parse.urlsplit(href).query)
        markers = query.get('marker')
        if markers and markers[-1]:
            return markers[-1]
        # A next link without a marker: Cinder's paging is by last id.
        return page[-1]['id'] if page else None
    return None
