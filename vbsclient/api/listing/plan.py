"""How a listing is read: the one place that chooses.

- No age window: page after page by marker (paging.ListingState), or
  concurrent pages (fanout) when more than one may be in flight and the
  listing can be planned: counted (3.45+) and from its start, or of a
  size the caller expects (a window's, from its edges).
- Windows, the listing sorted first by one window's field: its edges by
  ordered search, then its rows only (windowed).
- Windows in any other order: the whole listing, filtered on the client.
"""

import functools
import logging
from urllib import parse

from vbsclient.api.http import shapes
from vbsclient.api.listing import client_filters
from vbsclient.api.listing import fanout
from vbsclient.api.listing import paging
from vbsclient.api.listing import scope as scope_mod
from vbsclient.api.listing import windowed
from vbsclient.api import microversion as versions
from vbsclient.api.query import lookup
from vbsclient.api.query import params as query_mod
from vbsclient.api.query import refusal
from vbsclient.api.query import resolve
from vbsclient.api.query import windows as windows_mod
from vbsclient import backup as backup_mod
from vbsclient.common import backup_fields as fields
from vbsclient import exceptions

LOG = logging.getLogger(__name__)


class Backups:
    """How one client reads its backups: listings and counts.

    What ``BackupManager`` delegates to, with the parameters checked.
    ``max_pages()``: the most pages one listing reads (the manager's).
    """

    def __init__(self, client, max_pages=lambda: paging.MAX_PAGES):
        self.client = client
        self.resolve = resolve.Resolver(client)
        self._max_pages = max_pages

    @property
    def max_pages(self):
        return self._max_pages()

    def listing(self, params, on_page):
        """The Backups ``list`` returns; nothing is sent before the first."""
        filters = self.resolve.query(params)
        if params.get('limit') == 0:
            return
        marker = params.get('marker')
        if lookup.is_id(marker):
            marker = lookup.canonical_id(marker)
        elif marker:
            scope = {k: v for k, v in filters.items()
                     if k in ('all_tenants', 'project_id')}
            with refusal.ProjectRefusal(filters):
                marker = self.resolve.backup_named(marker, scope)['id']
        limit, offset = params.get('limit'), params.get('offset')
        keep = client_filters.keeps(params)
        if keep:
            # limit and offset count the rows kept: the server pages all.
            limit = offset = None
        rows = self.rows(filters, query_mod.windows_of(params), limit,
                         marker, offset, on_page)
        first = scope_mod.FirstRow(self.client, params, filters)
        with refusal.ProjectRefusal(filters):
            backups = (backup_mod.Backup(raw) for raw in first.rows(rows))
            if keep is None:
                yield from backups
            else:
                yield from client_filters.kept(
                    backups, keep, params.get('offset'), params.get('limit'))

    def by_id(self, backup_id):
        """The Backup with this ID; NotFound when there is none."""
        path = 'backups/%s' % parse.quote(lookup.canonical_id(backup_id),
                                          safe='')
        try:
            url, body = self.get(path, None, 'showing backup %s' % backup_id)
        except exceptions.HTTPError as e:
            if e.status == 404:
                raise exceptions.NotFound(
                    'no backup with ID %r%s (the server answered 404%s)'
                    % (backup_id, self.resolve.where({}),
                       ': %s' % e.detail if e.detail else '')) from e
            raise
        return backup_mod.Backup(shapes.backup_of(body, url))

    def find(self, name_or_id, params):
        """The Backup with this name or ID in the scope of ``params``.

        A name looked up across projects is checked as a listing is: a
        scope the server ignored warns, and a name not found is "in your
        project".
        """
        scope = self.resolve.query(params)
        if lookup.is_id(name_or_id):
            try:
                return self.by_id(name_or_id)
            except exceptions.NotFound:
                pass
        with refusal.ProjectRefusal(scope):
            try:
                raw = self.resolve.backup_named(name_or_id, scope)
            except exceptions.NotFound:
                if 'all_tenants' in scope and scope_mod.check(
                        self.client, params, scope, self._sample(scope)):
                    raise exceptions.NotFound(
                        'no backup with name or ID %r in your project %s'
                        % (name_or_id, self.client.project_id)) from None
                raise
        if 'all_tenants' in scope:
            scope_mod.check(self.client, params, scope, [raw])
        return backup_mod.Backup(raw)

    def _sample(self, scope):
        """One row of the scope, whose owner field tells if it was kept."""
        if not versions.at_least(self.client.microversion,
                                 fields.BY_KEY[fields.PROJECT_ID].since):
            return []
        url, body = self.get(resolve.LIST_PATH, dict(scope, limit=1),
                             'checking the scope')
        return shapes.backups_of(body, url)

    def count(self, params):
        """How many backups match the checked ``params``.

        With a filter the client checks itself (client_filters): the rows
        of the listing, counted.
        """
        if client_filters.keeps(params):
            return sum(1 for _backup in self.listing(params, None))
        windows = query_mod.windows_of(params)
        filters = self.resolve.query(params, counting=not windows)
        if windows:
            with refusal.ProjectRefusal(filters):
                count, sample = self.count_rows(filters, windows)
            scope_mod.check(self.client, params, filters, sample)
            return count
        query = dict(filters, with_count='true', limit=1)
        with refusal.ProjectRefusal(filters):
            url, body = self.get(resolve.LIST_PATH, query, 'counting backups')
        scope_mod.check(self.client, params, filters,
                        shapes.backups_of(body, url))
        return shapes.count_of(body, url)

    def rows(self, filters, windows=(), limit=None, marker=None,
             offset=None, on_page=None):
        """The raw backups of ``filters`` (resolved) in ``windows``."""
        filters = dict(filters)
        sort = filters.pop('sort', None)
        return listing(
            self.fetch_page, filters, windows, sort=sort, limit=limit,
            offset=offset, marker=marker,
            concurrency=self.client.page_concurrency,
            counted=self.counted(), max_pages=self.max_pages,
            on_page=on_page)

    def count_rows(self, filters, windows):
        """(count, the first row seen) of ``filters`` in ``windows``."""
        return count(self.fetch_page, filters, windows,
                     self.client.page_concurrency, self.counted(),
                     self.max_pages)

    def counted(self):
        """Whether the microversion in use can count (with_count)."""
        return versions.at_least(self.client.microversion,
                                 query_mod.since('count'))

    def fetch_page(self, query):
        url, body = self.get(resolve.LIST_PATH, query, 'listing backups')
        return url, body, shapes.backups_of(body, url)

    def get(self, path, query, what):
        return self.client.get(path, query, what)


def pages(state, concurrency, counted, marker=None, offset=None,
          total=False):
    """The rows of ``state`` (a paging.ListingState), from its first page.

    ``marker`` and ``offset``: where the listing starts; ``total``: ask
    for the count on a sequential first page too (for progress).
    """
    if concurrency > 1 and state.expected is not None:
        return fanout.listing(state, state.first_query(marker), concurrency)
    if concurrency > 1 and counted and not marker:
        query = state.first_query(offset=offset, with_count=True)
        return fanout.listing(state, query, concurrency)
    with_count = bool(total and counted and not (marker or offset))
    return state.sequential(state.first_query(marker, offset, with_count))


def listing(fetch, filters, windows=(), sort=None, limit=None, offset=None,
            marker=None, concurrency=1, counted=False,
            max_pages=paging.MAX_PAGES, on_page=None):
    """The raw backups matching ``filters`` in every one of ``windows``.

    Exactly as listing everything and filtering would, in the listing's
    order; nothing is sent before the first row is asked for.
    ``limit``, ``offset`` and ``marker`` (a backup id) apply to the
    windowed listing.  ``concurrency``: pages in flight.

    :returns: an iterator of backup dicts as the server sent them.
    """
    base = dict(filters)
    if sort:
        base['sort'] = sort
    if not windows:
        state = paging.ListingState(fetch, base, limit=limit,
                                    on_page=on_page, max_pages=max_pages)
        return pages(state, concurrency, counted, marker, offset,
                     total=bool(on_page))
    read = functools.partial(pages, concurrency=concurrency,
                             counted=counted)
    return _windowed(fetch, base, windows, limit, offset, marker, read,
                     counted, max_pages, on_page)


def _windowed(fetch, base, windows, limit, offset, marker, read, counted,
              max_pages, on_page):
    if limit is not None and limit <= 0:
        return
    key, direction = first_key(base.get('sort'))
    searched = next((w for w in windows if w.field == key), None)
    if searched is None:
        LOG.debug('the listing is sorted by %s first, so the %s window '
                  'cannot be searched by position: reading the whole '
                  'listing and filtering it', key, windows[0].field)
        state = paging.ListingState(fetch, base, on_page=on_page,
                                    max_pages=max_pages)
        yield from windowed.cap(
            (row for row in read(state, marker=marker)
             if windows_mod.contains_all(windows, row)), offset, limit)
        return
    yield from windowed.listing(
        fetch, base, searched, [w for w in windows if w is not searched],
        direction, read, counted, max_pages, limit, offset, marker, on_page)


def count(fetch, filters, windows, concurrency=1, counted=False,
          max_pages=paging.MAX_PAGES):
    """How many backups match ``filters`` in every one of ``windows``.

    :returns: (count, the listing's first row in a list, or an empty
        list); see windowed.count.
    """
    read = functools.partial(pages, concurrency=concurrency,
                             counted=counted)
    return windowed.count(fetch, filters, windows, read, counted, max_pages)


def first_key(sort):
    """(key, direction) of the first key of Cinder's ``sort`` value."""
    if not sort:
        return windowed.DEFAULT_ORDER
    key, _sep, direction = sort.split(',')[0].partition(':')
    return (key.strip(),
            direction.strip().lower() or windowed.DEFAULT_DIRECTION)
