"""How a listing is read: the one place that chooses.

- No age window: page after page by marker (paging.Listing), or
  concurrent pages (fanout) when more than one may be in flight and the
  listing can be planned: counted (3.45+) and from its start, or of a
  size the caller expects (a window's, from its edges).
- Windows, the listing sorted first by one window's field: its edges by
  ordered search, then its rows only (windowed).
- Windows in any other order: the whole listing, filtered on the client.
"""

import functools
import logging

from vbsclient.api.listing import fanout
from vbsclient.api.listing import paging
from vbsclient.api.listing import windowed
from vbsclient.api.query import windows as windows_mod

LOG = logging.getLogger(__name__)


def pages(state, concurrency, counted, marker=None, offset=None,
          total=False):
    """The rows of ``state`` (a paging.Listing), from its first page.

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
            max_pages=paging.MAX_PAGES, on_page=None,
            probe_concurrency=windowed.PROBES):
    """The raw backups matching ``filters`` in every one of ``windows``.

    Exactly as listing everything and filtering would, in the listing's
    order; nothing is sent before the first row is asked for.
    ``limit``, ``offset`` and ``marker`` (a backup id) apply to the
    windowed listing.  ``concurrency``: pages in flight;
    ``probe_concurrency``: probes in flight (see windowed.PROBES).

    :returns: an iterator of backup dicts as the server sent them.
    """
    base = dict(filters)
    if sort:
        base['sort'] = sort
    if not windows:
        state = paging.Listing(fetch, base, limit=limit, on_page=on_page,
                               max_pages=max_pages)
        return pages(state, concurrency, counted, marker, offset,
                     total=bool(on_page))
    read = functools.partial(pages, concurrency=concurrency,
                             counted=counted)
    return _windowed(fetch, base, windows, limit, offset, marker, read,
                     counted, max_pages, on_page, probe_concurrency)


def _windowed(fetch, base, windows, limit, offset, marker, read, counted,
              max_pages, on_page, probe_concurrency):
    if limit is not None and limit <= 0:
        return
    key, direction = first_key(base.get('sort'))
    searched = next((w for w in windows if w.field == key), None)
    if searched is None:
        LOG.debug('the listing is sorted by %s first, so the %s window '
                  'cannot be searched by position: reading the whole '
                  'listing and filtering it', key, windows[0].field)
        state = paging.Listing(fetch, base, on_page=on_page,
                               max_pages=max_pages)
        yield from windowed.cap(
            (row for row in read(state, marker=marker)
             if windows_mod.contains_all(windows, row)), offset, limit)
        return
    yield from windowed.listing(
        fetch, base, searched, [w for w in windows if w is not searched],
        direction, read, counted, max_pages, limit, offset, marker, on_page,
        probe_concurrency)


def count(fetch, filters, windows, concurrency=1, counted=False,
          max_pages=paging.MAX_PAGES, probe_concurrency=windowed.PROBES):
    """How many backups match ``filters`` in every one of ``windows``.

    :returns: (count, the listing's first row in a list, or an empty
        list); see windowed.count.
    """
    read = functools.partial(pages, concurrency=concurrency,
                             counted=counted)
    return windowed.count(fetch, filters, windows, read, counted, max_pages,
                          probe_concurrency)


def first_key(sort):
    """(key, direction) of the first key of Cinder's ``sort`` value."""
    if not sort:
        return windowed.DEFAULT_ORDER
    key, _sep, direction = sort.split(',')[0].partition(':')
    return (key.strip(),
            direction.strip().lower() or windowed.DEFAULT_DIRECTION)
