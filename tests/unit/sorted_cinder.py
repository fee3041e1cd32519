"""An in-memory Cinder backup listing with its sort semantics, as a
``fetch(query) -> (url, body, backups)`` function.

Sorting as Cinder on sqlite: ``sort=key[:dir],...`` (a key without a
direction is descending; default ``created_at:desc``), ``created_at``
and ``id`` appended in the first key's direction, nulls sort lowest.
The rows after a marker are those its SQL criterion keeps,
``(k1 > m1) OR (k1 = m1 AND k2 > m2) OR ...`` (``<`` for descending
keys), with a null in a marker's key as ``null_marker`` says: '1900'
(Cinder 29 compares nulls as 1900-01-01, the same place the ORDER BY
puts them) or 'sql' (older Cinder: ``col > NULL`` is never true and
``col = NULL`` is ``col IS NULL``, so after a marker whose key is null
only null rows follow, and after a non-null one no null rows).
Filters name/status/volume_id, marker (404 when unknown), offset, limit
(capped at the page size), with_count, next links on full pages.
``hooks[n]`` runs before request n, to change the rows.
"""

import datetime
import uuid

from urllib import parse

from vbsclient import exceptions

URL = 'https://vbs.example.test/v3/p/backups/detail'
BASE = datetime.datetime(2026, 1, 1, 8, 0, 0)


def stamp(seconds):
    """Cinder's timestamp text ``seconds`` after BASE (None stays None)."""
    if seconds is None:
        return None
    return (BASE + datetime.timedelta(seconds=seconds)).strftime(
        '%Y-%m-%dT%H:%M:%S.%f')


def row(created, data=None, status='available', backup_id=None):
    """A backup created ``created`` seconds after BASE."""
    return {
        'id': backup_id or str(uuid.uuid4()),
        'status': status,
        'created_at': stamp(created),
        'data_timestamp': stamp(created if data is None else data)
        if data != 'null' else None,
    }


def _sort_value(value):
    # sqlite: NULL below everything.
    return (value is not None, value or '')


def sort_spec(query):
    sort = query.get('sort') or 'created_at:desc'
    keys = []
    for item in sort.split(','):
        key, _sep, direction = item.partition(':')
        keys.append((key, direction or 'desc'))
    names = [k for k, _d in keys]
    for extra in ('created_at', 'id'):
        if extra not in names:
            keys.append((extra, keys[0][1]))
    return keys


def ordered(rows, keys):
    """``rows`` in the order of ``keys`` [(key, direction)]."""
    rows = list(rows)
    for key, direction in reversed(keys):
        rows.sort(key=lambda r: _sort_value(r.get(key)),
                  reverse=direction == 'desc')
    return rows


def after_marker(rows, keys, marker, null_marker='1900'):
    """The rows of ``rows`` the marker row's SQL criterion keeps."""
    def beyond(value, mark, direction):
        if null_marker == 'sql' and (value is None or mark is None):
            return False
        a, b = _sort_value(value), _sort_value(mark)
        return a < b if direction == 'desc' else a > b

    def equal(value, mark):
        if null_marker == 'sql' and mark is not None and value is None:
            return False
        return _sort_value(value) == _sort_value(mark)

    def kept(row):
        for i, (key, direction) in enumerate(keys):
            if all(equal(row.get(k), marker.get(k)) for k, _d in keys[:i]) \
                    and beyond(row.get(key), marker.get(key), direction):
                return True
        return False
    return [r for r in rows if kept(r)]


class SortedCinder:

    def __init__(self, rows, page_size=10, null_marker='1900'):
        self.rows = list(rows)
        self.page_size = page_size
        self.null_marker = null_marker
        self.queries = []
        self.hooks = {}
        self.rows_sent = 0

    def ordered(self, query):
        rows = [r for r in self.rows
                if all(r.get(k) == query[k] for k in ('status', 'name')
                       if k in query)]
        return ordered(rows, sort_spec(query))

    def __call__(self, query):
        query = dict(query)
        n = len(self.queries)
        self.queries.append(query)
        if n in self.hooks:
            self.hooks[n](self)
        url = URL + '?' + parse.urlencode(query)
        rows = self.ordered(query)
        total = len(rows)
        marker = query.get('marker')
        if marker:
            found = [r for r in self.rows if r['id'] == marker]
            if not found:
                raise exceptions.HTTPError(
                    'GET', url, 404, 'Not Found',
                    'Backup %s could not be found.' % marker, None)
            rows = after_marker(rows, sort_spec(query), found[0],
                                self.null_marker)
        rows = rows[int(query.get('offset', 0)):]
        limit = min(int(query.get('limit', self.page_size)), self.page_size)
        page = [dict(r) for r in rows[:limit]]
        self.rows_sent += len(page)
        body = {'backups': page}
        if query.get('with_count') == 'true':
            body['count'] = total
        if page and len(page) == limit:
            next_query = dict(query, marker=page[-1]['id'])
            body['backups_links'] = [{
                'rel': 'next', 'href': URL + '?' + parse.urlencode(
                    next_query)}]
        return url, body, page

    # -- changes ------------------------------------------------------------

    def create(self, created, **kwargs):
        new = row(created, **kwargs)
        self.rows.append(new)
        return new

    def delete(self, backup_id):
        self.rows = [r for r in self.rows if r['id'] != backup_id]

    def probes(self):
        return [q for q in self.queries if q.get('limit') == 1]

    def pages(self):
        return [q for q in self.queries if q.get('limit') != 1]
