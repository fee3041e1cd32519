"""The values behind ``vbs backup metrics``: what a monitoring system
alerts on, read at a fraction of a listing's cost.

What each value reads:

- the backups per status: per status of the spec (query.STATUSES), one
  ``with_count`` request of one row (3.45+), or, below 3.45 or with an
  age window, the ordered search over positions that counts without
  reading pages (vbsclient.api.listing.windowed);
- the newest and the oldest available backup: one request of one row
  each, sorted by created_at (descending, then ascending);
- the volumes and those not covered: ``coverage`` itself (the same
  definition and the same reading: the backups of the max_age window,
  then one-row requests per uncovered volume);
- the sizes per status, only when asked: one pass over the listing
  (``summary``).

The list filters and age windows select the backups of the first, second
and last; the volume values follow the scope only, as coverage does.
"""

import dataclasses
import datetime
import typing
import warnings

from vbsclient.api.listing import client_filters
from vbsclient.api.listing import scope as scope_mod
from vbsclient.api.query import params as query_mod
from vbsclient.api.query import refusal
from vbsclient.api.query import timestamps as times
from vbsclient.api.query import windows as windows_mod
from vbsclient.api.reports import coverage as coverage_mod
from vbsclient import exceptions

SCOPE = ('all_projects', 'project', 'project_domain')
# What the newest and oldest are taken from.
NEWEST_STATUS = 'available'


@dataclasses.dataclass(frozen=True)
class VolumeLast:
    """One volume and the point its last backup restores to.

    :ivar volume_id, volume_name: the volume's (the name may be None).
    :ivar last_backup_at: the recovery point of its last covering backup
        (coverage's Data Timestamp: data_timestamp, else created_at), an
        aware datetime; None when it has none.
    """

    volume_id: str
    volume_name: typing.Optional[str]
    last_backup_at: typing.Optional[datetime.datetime]


@dataclasses.dataclass(frozen=True)
class Metrics:
    """The values of one run.

    :ivar backups: {status: count} for every status of query.STATUSES,
        in that order (0 included).
    :ivar newest, oldest: created_at of the newest and the oldest
        available backup (aware datetimes), None when there is none.
    :ivar volumes: how many volumes coverage sees.
    :ivar uncovered: how many of them are not covered.
    :ivar per_volume: a tuple of VolumeLast in the server's volume order,
        or None when not asked for.
    :ivar sizes: {status: summed size in GB} for every status of
        query.STATUSES, or None when not asked for.
    """

    backups: dict
    newest: typing.Optional[datetime.datetime]
    oldest: typing.Optional[datetime.datetime]
    volumes: int
    uncovered: int
    per_volume: typing.Optional[tuple] = None
    sizes: typing.Optional[dict] = None


@dataclasses.dataclass(frozen=True)
class Run:
    """How one run went: the run-health values.

    :ivar success: whether the values were read.
    :ivar duration: how long it took, in seconds.
    :ivar finished: when it ended (an aware datetime).
    """

    success: bool
    duration: float
    finished: datetime.datetime


def check(filters, max_age=coverage_mod.DEFAULT_MAX_AGE, now=None):
    """``filters`` checked (as query.checked returns them), and max_age.

    Ages in the windows count back from ``now`` (default: now), as
    max_age does.  InvalidParameter names the keyword; nothing is sent.
    """
    coverage_mod.cutoff(max_age, now)
    return query_mod.checked(filters, now)


def collect(manager, filters, max_age=coverage_mod.DEFAULT_MAX_AGE,
            per_volume=False, sizes=False, now=None):
    """The Metrics of the backups ``filters`` select (see the module).

    :param manager: the client's BackupManager.
    :param filters: list filter, window and scope keywords (None: unset).
    Everything is checked before the first request.
    """
    now = times.utcnow() if now is None else now
    params = check(filters, max_age, now)
    manager._client.check_gates(query_mod.gates(params), negotiate=False)
    params = _ids(manager, params)
    scope = {k: v for k, v in params.items() if k in SCOPE}
    with _one_scope_warning():
        # Coverage first: its warning names volumes and backups.
        covered = manager.coverage(max_age=max_age, now=now, **scope)
        counts = {status: _count(manager, params, status)
                  for status in query_mod.STATUSES}
        newest = _end(manager, params, 'desc')
        oldest = _end(manager, params, 'asc')
        summed = _sizes(manager, params) if sizes else None
    return Metrics(
        backups=counts,
        newest=_created_at(newest),
        oldest=_created_at(oldest),
        volumes=len(covered),
        uncovered=sum(1 for row in covered if not row.covered),
        per_volume=tuple(
            VolumeLast(row.volume_id, row.volume_name, row.data_timestamp)
            for row in covered) if per_volume else None,
        sizes=summed)


def _ids(manager, params):
    """``params`` with the volume and project as IDs.

    A name costs a look-up per request it is given to: looked up once
    here, the ID (UUID-shaped, so never looked up) is passed on.
    """
    named = {k: params[k] for k in ('volume', 'project', 'project_domain')
             if k in params}
    if not named:
        return params
    found = manager._backups.resolve.query(named)
    params = dict(params)
    if 'volume' in params:
        params['volume'] = found['volume_id']
    if 'project' in params:
        params['project'] = found['project_id']
        params.pop('project_domain', None)
    return params


def _count(manager, params, status):
    """How many backups match ``params`` in ``status``."""
    if params.get('status', status) != status:
        return 0
    params = dict(params, status=status)
    if (query_mod.windows_of(params) or manager._backups.counted()
            or client_filters.keeps(params)):
        return manager.count(**params)
    # Below 3.45 count() refuses (it needs with_count): the ordered
    # search over the whole listing as one open window, no pages read.
    filters = manager._backups.resolve.query(params)
    with refusal.ProjectRefusal(filters):
        count, sample = manager._backups.count_rows(
            filters, [windows_mod.Window('created_at')])
    scope_mod.check(manager._client, params, filters, sample)
    return count


def _end(manager, params, direction):
    """The newest (desc) or oldest (asc) available Backup, or None."""
    if params.get('status', NEWEST_STATUS) != NEWEST_STATUS:
        return None
    params = dict(params, status=NEWEST_STATUS)
    return next(iter(manager.list(
        sort='created_at:%s' % direction, limit=1, **params)), None)


def _created_at(backup):
    return None if backup is None else backup.created_at


def _sizes(manager, params):
    """{status: summed size} for every status, from one listing pass."""
    found = {row.group['status']: row.size
             for row in manager.summary(group_by=('status',), **params)}
    return {status: found.get(status, 0) for status in query_mod.STATUSES}


class _one_scope_warning(warnings.catch_warnings):
    """The scope warning of the many requests, issued once.

    Every listing and count checks the scope on its own; the first
    warning is kept (other warnings pass as they came).
    """

    def __init__(self):
        super().__init__(record=True)

    def __enter__(self):
        self._caught = super().__enter__()
        warnings.simplefilter('always')
        return self._caught

    def __exit__(self, *exc_info):
        super().__exit__(*exc_info)
        told = False
        for item in self._caught:
            scoped = issubclass(item.category,
                                exceptions.ScopeIgnoredWarning)
            if not (scoped and told):
                warnings.warn_explicit(item.message, item.category,
                                       item.filename, item.lineno)
            told = told or scoped
        return False
