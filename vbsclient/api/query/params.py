"""The listing parameters in Python terms: their query keys, the checks made
before anything is sent, and the microversion each needs.

One table maps each keyword of ``client.backups.list()`` to what the API
calls it; the gates below name parameters the same way, so an error names
the keyword the caller used.
"""

import collections

from vbsclient.api.query import windows
from vbsclient import exceptions

Param = collections.namedtuple('Param', 'name key since')

# Keyword -> query key, and the microversion that carries it (None: all).
# volume, marker and project are names or IDs, resolved before sending.
# The age windows have no query key: Cinder cannot filter by time, so the
# client answers them (vbsclient.api.listing.windowed), at every microversion.
PARAMS = (
    Param('name', 'name', None),
    Param('status', 'status', None),
    Param('volume', 'volume_id', None),
    # Below 3.31 Cinder silently ignores the fuzzy filters.
    Param('name_like', 'name~', '3.31'),
    Param('status_like', 'status~', '3.31'),
    Param('volume_like', 'volume_id~', '3.31'),
    Param('all_projects', 'all_tenants', None),
    Param('project', 'project_id', None),
    Param('created_before', None, None),
    Param('created_after', None, None),
    Param('data_timestamp_before', None, None),
    Param('data_timestamp_after', None, None),
    # The decoded flag (the vendor's INC too): checked on the client
    # (vbsclient.api.listing.client_filters).
    Param('incremental', None, None),
)
BY_NAME = {p.name: p for p in PARAMS}
# Every keyword of the listing methods: the filters, then the others.
KEYWORDS = tuple(p.name for p in PARAMS) + (
    'project_domain', 'sort', 'limit', 'offset', 'marker')
WINDOWS = tuple(windows.PARAMS)

# Gates that are not filters: counting (with_count; below 3.45 Cinder
# takes it for a filter and answers an empty list) and the sort key
# "name" (3.37).
OTHER_GATES = {'count': '3.45', 'sort:name': '3.37'}

# The vendor's statuses, plus Cinder's error_deleting.
STATUSES = ('available', 'creating', 'deleting', 'error', 'error_deleting',
            'error_restoring', 'restoring')

# What Cinder sorts backups by (columns of its Backup model).
SORT_KEYS = ('created_at', 'updated_at', 'id', 'name', 'status', 'size',
             'volume_id', 'snapshot_id', 'availability_zone',
             'data_timestamp', 'container', 'object_count', 'fail_reason',
             'project_id', 'user_id')
SORT_DIRS = ('asc', 'desc')

# Cinder's DB_MAX_INT: larger limits and offsets are refused by the server.
MAX_INT = 2 ** 31 - 1


def since(gate):
    """The microversion a gate (parameter name or OTHER_GATES key) needs."""
    param = BY_NAME.get(gate)
    return param.since if param else OTHER_GATES.get(gate)


def sort_gates(sort):
    """The ``sort:<key>`` gates of a checked sort value."""
    if not sort:
        return []
    return ['sort:%s' % item.partition(':')[0] for item in sort.split(',')]


def check_sort(sort):
    """``key[:asc|desc][,...]``, returned as given, or InvalidParameter."""
    items = sort.split(',')
    for item in items:
        key, sep, direction = item.partition(':')
        if key not in SORT_KEYS:
            raise exceptions.InvalidParameter(
                'sort', sort, 'unknown sort key %r; use one of %s'
                % (key, ', '.join(SORT_KEYS)))
        if sep and direction not in SORT_DIRS:
            raise exceptions.InvalidParameter(
                'sort', sort, 'unknown sort direction %r for %s; use %s'
                % (direction, key, ' or '.join(SORT_DIRS)))
    keys = [item.partition(':')[0] for item in items]
    if len(set(keys)) != len(keys):
        raise exceptions.InvalidParameter(
            'sort', sort, 'sort key given twice in %r' % sort)
    return sort


def check_count(param, value):
    """An integer from 0 to MAX_INT (limit, offset), or InvalidParameter."""
    if (isinstance(value, bool) or not isinstance(value, int)
            or not 0 <= value <= MAX_INT):
        raise exceptions.InvalidParameter(
            param, value, '%r is not an integer from 0 to %d'
            % (value, MAX_INT))
    return value


def check_status(value):
    if value not in STATUSES:
        raise exceptions.InvalidParameter(
            'status', value, 'use one of %s' % ', '.join(STATUSES))
    return value


def check_text(param, value):
    if not isinstance(value, str):
        raise exceptions.InvalidParameter(param, value, 'give a string')
    return value


def checked(params, now=None):
    """``params`` (list keywords, None for unset) checked and without Nones.

    Nothing is sent before this passes; version gates come later, once the
    microversion is known.  Ages in the windows count back from ``now``
    (default: now).
    """
    out = {k: v for k, v in params.items() if v is not None}
    for name in ('name', 'volume', 'name_like', 'status_like',
                 'volume_like', 'project', 'project_domain', 'marker'):
        if name in out:
            check_text(name, out[name])
    if 'status' in out:
        check_status(out['status'])
    if 'incremental' in out and not isinstance(out['incremental'], bool):
        raise exceptions.InvalidParameter(
            'incremental', out['incremental'],
            'give True (incrementals only), False (full backups only) or '
            'None (both)')
    for name in ('limit', 'offset'):
        if name in out:
            check_count(name, out[name])
    if 'sort' in out:
        check_text('sort', out['sort'])
        check_sort(out['sort'])
    if not out.get('all_projects'):
        out.pop('all_projects', None)
    if 'project_domain' in out and 'project' not in out:
        raise exceptions.InvalidParameter(
            'project_domain', out['project_domain'],
            'it only qualifies {project}, which is not given',
            project='project')
    # Each bound becomes its instant (an age counts from now, once), and an
    # empty window is refused.
    for window in windows.from_params(out, now):
        for which in ('after', 'before'):
            bound = getattr(window, which)
            if bound is not None:
                out[windows.param_of(window.field, which)] = bound
    return out


def keywords(values):
    """The listing keywords of ``values`` (a method's ``locals()``).

    The methods keep their documented keywords and hand them on whole.
    """
    return {k: values[k] for k in KEYWORDS if k in values}


def given(values):
    """The listing keywords of ``values``, checked (see ``checked``)."""
    return checked(keywords(values))


def windows_of(params):
    """The age windows of checked ``params`` (windows.Window, maybe none)."""
    return windows.from_params(params)


def gates(params, counting=False):
    """The gates the checked ``params`` meet, for check_gates."""
    found = [name for name in params if since(name)]
    found.extend(sort_gates(params.get('sort')))
    if counting:
        found.append('count')
    return found
