"""``client.backups``: list, count, get and find backups, and the reports
(summary, coverage), with parameters in Python terms, at the client's
microversion."""

from concurrent import futures
import logging
from urllib import parse

from vbsclient.api import coverage as coverage_mod
from vbsclient.api import fanout
from vbsclient.api.listing import client_filters
from vbsclient.api.listing import parent as parent_mod
from vbsclient.api import lookup
from vbsclient.api import paging
from vbsclient.api import query as query_mod
from vbsclient.api.reports import names as names_mod
from vbsclient.api import resolve
from vbsclient.api import scope as scope_mod
from vbsclient.api import shapes
from vbsclient.api import summary as summary_mod
from vbsclient.api import versions
from vbsclient.api import windowed
from vbsclient.api import windows as windows_mod
from vbsclient import backup as backup_mod
from vbsclient import exceptions

LOG = logging.getLogger(__name__)

LIST_PATH = resolve.LIST_PATH


class BackupManager:
    """The backups of one client (``client.backups``).

    Every method checks its parameters before sending anything: a bad value
    raises InvalidParameter, and a parameter the microversion cannot carry
    raises UnsupportedMicroversion (with an explicit ``api_version`` before
    any request; when negotiating, right after the version discovery).
    """

    def __init__(self, client):
        self._client = client
        self._resolve = resolve.Resolver(client)
        self.max_pages = paging.MAX_PAGES

    # -- the operations -----------------------------------------------------

    def list(self, *, name=None, status=None, volume=None, name_like=None,
             status_like=None, volume_like=None, all_projects=False,
             project=None, project_domain=None, created_before=None,
             created_after=None, data_timestamp_before=None,
             data_timestamp_after=None, incremental=None, sort=None,
             limit=None, offset=None, marker=None, on_page=None):
        """Backups matching every filter given, in the server's order.

        Returns a lazy iterator of :class:`vbsclient.backup.Backup`: pages
        are fetched as it is iterated (several at once, up to the client's
        ``page_concurrency``), and every backup that exists for the whole
        listing comes out exactly once, even while backups are created and
        deleted.

        :param name: exact name.
        :param status: exact status (see ``vbsclient.api.query.STATUSES``).
        :param volume: the volume's name or ID (an ID, with or without
            hyphens, any case, is sent in Cinder's form and unchecked, so
            a deleted volume's backups stay listable).
        :param name_like: text the name contains, ignoring case (3.31+;
            with ``_`` or ``%``, Cinder's wildcards, the rows are also
            checked on the client: see
            :mod:`vbsclient.api.listing.client_filters`).
        :param status_like: text the status contains (the same way).
        :param volume_like: text the volume ID contains (the same way).
        :param all_projects: every project's backups (admin only; ignored
            by the server for others, which issues ScopeIgnoredWarning).
        :param project: one project's backups, by name or ID (admin only).
        :param project_domain: the project's domain, by name or ID.
        :param created_before: only backups created before this time: a
            ``datetime`` (naive means UTC), a ``timedelta`` (that long ago)
            or a string: ``2026-11-01`` (midnight UTC),
            ``2026-11-01T08:00[:SS][Z|+HH:MM]`` (no zone: UTC) or an age
            ``<n><s|m|h|d|w>`` such as ``30d``.
        :param created_after: only backups created at or after this time.
        :param data_timestamp_before: only backups whose data_timestamp is
            before this time.
        :param data_timestamp_after: only backups whose data_timestamp is at
            or after this time.  A backup whose field is null is in no
            window.  The windows are answered without reading the whole
            listing when its order is on the window's field (see the
            "Retention audits" page).
        :param incremental: True: only incremental backups; False: only
            full ones (the decoded ``Backup.is_incremental``, checked on
            the client; a backup whose flag is unknown is in neither).
        :param sort: ``key[:asc|desc][,...]``, sorted by the server.
        :param limit: the most backups to return in total (None: all).
        :param offset: skip this many matching backups first.
        :param marker: start after this backup (name or ID).
        :param on_page: called as ``on_page(pages, backups, total)`` before
            each further page is read; giving it asks for the total
            (``total`` is None when the microversion cannot count).
        """
        params = query_mod.checked(dict(
            name=name, status=status, volume=volume, name_like=name_like,
            status_like=status_like, volume_like=volume_like,
            all_projects=all_projects, project=project,
            project_domain=project_domain, created_before=created_before,
            created_after=created_after,
            data_timestamp_before=data_timestamp_before,
            data_timestamp_after=data_timestamp_after,
            incremental=incremental, sort=sort, limit=limit, offset=offset,
            marker=marker))
        self._client.check_gates(query_mod.gates(params), negotiate=False)
        return self._listing(params, on_page)

    def count(self, *, name=None, status=None, volume=None, name_like=None,
              status_like=None, volume_like=None, all_projects=False,
              project=None, project_domain=None, created_before=None,
              created_after=None, data_timestamp_before=None,
              data_timestamp_after=None, incremental=None):
        """How many backups match the filters.

        The filters are those of :meth:`list`.  Without a window: one
        request (3.45+).  With one: single-row requests at positions of
        the listing, no pages, at any microversion; exact unless backups
        are created or deleted meanwhile, and then off by at most their
        number.  With a filter checked on the client (``incremental``, a
        fuzzy text with ``_`` or ``%``): the rows of the listing are
        counted, so it costs what :meth:`list` does.
        """
        params = query_mod.checked(dict(
            name=name, status=status, volume=volume, name_like=name_like,
            status_like=status_like, volume_like=volume_like,
            all_projects=all_projects, project=project,
            project_domain=project_domain, created_before=created_before,
            created_after=created_after,
            data_timestamp_before=data_timestamp_before,
            data_timestamp_after=data_timestamp_after,
            incremental=incremental))
        if client_filters.keeps(params):
            return sum(1 for _backup in self._listing(params, None))
        windows = query_mod.windows_of(params)
        filters = self._resolve.query(params, counting=not windows)
        if windows:
            with scope_mod.refusals(filters):
                count, sample = windowed.count(
                    self._fetch_page, filters, windows,
                    self._client.page_concurrency, self._counted(),
                    self.max_pages)
            scope_mod.check(self._client, params, filters, sample)
            return count
        query = dict(filters, with_count='true', limit=1)
        with scope_mod.refusals(filters):
            url, body = self._get(LIST_PATH, query, 'counting backups')
        sample = shapes.backups_of(body, url)
        scope_mod.check(self._client, params, filters, sample)
        return shapes.count_of(body, url)

    def get(self, backup_id):
        """The backup with this ID; NotFound when there is none."""
        query_mod.check_text('backup_id', backup_id)
        path = 'backups/%s' % parse.quote(lookup.canonical_id(backup_id),
                                          safe='')
        try:
            url, body = self._get(path, None,
                                  'showing backup %s' % backup_id)
        except exceptions.HTTPError as e:
            if e.status == 404:
                raise exceptions.NotFound(
                    'no backup with ID %r%s (the server answered 404%s)'
                    % (backup_id, self._resolve.where({}),
                       ': %s' % e.detail if e.detail else '')) from e
            raise
        return backup_mod.Backup(shapes.backup_of(body, url))

    def find(self, name_or_id, *, all_projects=False, project=None,
             project_domain=None):
        """The backup with this name or ID.

        A UUID is one request by ID (then by name, should that answer 404);
        anything else is one request by name, in the scope given (the
        caller's project by default). NotFound when nothing matches,
        NoUniqueMatch (with ``.ids``) when several do.
        """
        query_mod.check_text('name_or_id', name_or_id)
        params = query_mod.checked(dict(
            all_projects=all_projects, project=project,
            project_domain=project_domain))
        scope = self._resolve.query(params)
        if lookup.is_id(name_or_id):
            try:
                return self.get(name_or_id)
            except exceptions.NotFound:
                pass
        with scope_mod.refusals(scope):
            return backup_mod.Backup(
                self._resolve.backup_named(name_or_id, scope, params))

    def parent_of(self, backup):
        """The backup an incremental ``backup`` builds on, inferred; or None.

        The API does not send it: it is the available backup of the same
        volume, created before it, with the newest data, the rule Cinder
        followed when it made the incremental (and ``prune``'s).  One
        request of one row (``volume_id``, ``status=available``, the
        backup as marker); more only while an older row could hold newer
        data.  None for a full backup (no request) or when no candidate
        exists; statuses are today's (see
        :mod:`vbsclient.api.listing.parent`).
        """
        if not isinstance(backup, backup_mod.Backup):
            raise exceptions.InvalidParameter(
                'backup', backup, 'give a Backup (from get, find or list)')
        own = self._client.project_id if backup.project_id else None
        return parent_mod.parent_of(self._fetch_page, backup, own,
                                    self.max_pages)

    # -- the reports ----------------------------------------------------------

    def summary(self, *, group_by=summary_mod.DEFAULT_GROUP_BY, name=None,
                status=None, volume=None, name_like=None, status_like=None,
                volume_like=None, all_projects=False, project=None,
                project_domain=None, created_before=None, created_after=None,
                data_timestamp_before=None, data_timestamp_after=None,
                incremental=None, on_page=None):
        """The backups matching the filters, summed up per group.

        One pass over the listing (``list(**filters)``: the same paging,
        exact and concurrent), keeping one record per group, never the
        backups. Returns a list of
        :class:`vbsclient.api.summary.GroupSummary` in group order: by the
        first key, then the next, a missing value last.

        :param group_by: keys, in order, from ``status``, ``project``,
            ``volume``, ``availability_zone`` (or ``availability-zone``),
            ``incremental`` (decoded as ``Backup.is_incremental``) and
            ``month`` (the UTC year-month of created_at, ``2026-01``); a
            sequence or one string separated by commas. Empty: one group.
            Grouped by ``volume`` or ``project``, each row's ``names`` has
            the names beside the IDs: one volumes listing in the same
            scope; the token's own project, else one Keystone projects
            listing (an admin's). No name found: None.
        The filters, the age windows (``created_before``, ...),
        ``incremental`` and ``on_page`` are those of :meth:`list`: a
        window is located by an ordered search and only its pages are
        read.
        """
        group_by = summary_mod.check_group_by(group_by)
        rows = summary_mod.summarize(self.list(
            name=name, status=status, volume=volume, name_like=name_like,
            status_like=status_like, volume_like=volume_like,
            all_projects=all_projects, project=project,
            project_domain=project_domain, created_before=created_before,
            created_after=created_after,
            data_timestamp_before=data_timestamp_before,
            data_timestamp_after=data_timestamp_after,
            incremental=incremental, on_page=on_page), group_by)
        names_mod.name_groups(self._client, rows, names_mod.scope_of(
            rows, all_projects, project is not None), self.max_pages)
        return rows

    def coverage(self, *, max_age=coverage_mod.DEFAULT_MAX_AGE,
                 uncovered=False, all_projects=False, project=None,
                 project_domain=None, now=None,
                 probe_bound=coverage_mod.PROBE_BOUND):
        """Each volume's last backup and whether it is recent enough.

        Returns a list of :class:`vbsclient.api.coverage.VolumeCoverage`,
        one per volume the caller can see (``volumes/detail``, every page;
        deleted volumes are not listed), in the server's order.  A backup
        in status available or restoring covers its volume when the point
        it restores to (data_timestamp, else created_at) is within
        ``max_age`` (see :mod:`vbsclient.api.coverage`).

        What it reads: per counting status, the backups created within
        ``max_age`` (the age window ``created_after``: an ordered search
        for its edge, then its pages only); then, for each volume not
        covered, its newest older backup: one request of one row per
        volume and status, up to ``probe_bound`` volumes; beyond, the
        older backups are counted (single-row requests) and either their
        listing is read, newest first, until every such volume is found,
        or the volumes are probed, whichever costs fewer rows.

        :param max_age: a backup restoring to a point at most this long
            ago covers its volume: a ``timedelta`` or an age
            ``<n><unit>`` (unit s, m, h, d or w: ``36h``, ``7d``).
        :param uncovered: only the volumes that are not covered.
        :param all_projects: every project's volumes and backups (admin).
        :param project: one project's, by name or ID (admin).
        :param project_domain: the project's domain, by name or ID.
        :param now: the time ages count back from (default: now).
        :param probe_bound: the most volumes whose last backup is asked
            for one by one without counting the older backups first.
        """
        cutoff = coverage_mod.cutoff(max_age, now)
        params = query_mod.checked(dict(
            all_projects=all_projects, project=project,
            project_domain=project_domain))
        scope = self._resolve.query(params)
        client = self._client
        same = client.volumes.endpoint == client.endpoint
        volumes = client.volumes.list(
            scope, microversion=client.microversion if same else None,
            page_concurrency=client.page_concurrency,
            max_pages=self.max_pages)
        # Newest first (the default order), one listing per counting
        # status: the windows' ordered search finds where the backups
        # created within max_age end, and only those are read; the older
        # ones are counted, read or probed only when needed (lazily).
        checked = []

        def scoped(rows):
            return self._scoped(params, scope, rows, checked)

        def by_status(window):
            return coverage_mod.newest_first([scoped(self._windowed(
                dict(scope, status=status), [window], None, None, None,
                None)) for status in coverage_mod.COVERING_STATUSES])

        def count_older():
            total = 0
            for status in coverage_mod.COVERING_STATUSES:
                count, sample = windowed.count(
                    self._fetch_page, dict(scope, status=status), [before],
                    self._client.page_concurrency, self._counted(),
                    self.max_pages)
                list(scoped(sample))
                total += count
            return total

        before = windows_mod.Window('created_at', before=cutoff)
        with scope_mod.refusals(scope):
            return coverage_mod.assess(
                volumes,
                by_status(windows_mod.Window('created_at', after=cutoff)),
                lambda ids, seen: self._last(ids, seen, scope, scoped),
                cutoff,
                uncovered=uncovered, probe_bound=probe_bound,
                older=by_status(before), count_older=count_older)

    def _last(self, volume_ids, seen, scope, scoped):
        """{volume_id: its newest counting Backup, or None}.

        One request per volume and counting status, after the
        ``seen[volume_id, status]`` newest (offset), up to the page
        concurrency at a time; ``scoped`` makes Backups of the raw rows
        found.
        """
        self._client.microversion  # chosen before any thread asks
        asks = [(volume_id, status) for volume_id in volume_ids
                for status in coverage_mod.COVERING_STATUSES]

        def last(ask):
            volume_id, status = ask
            query = dict(scope, volume_id=volume_id, status=status, limit=1)
            if seen.get(ask):
                query['offset'] = seen[ask]
            url, body = self._get(LIST_PATH, query,
                                  'finding the last backup of volume %s'
                                  % volume_id)
            found = shapes.backups_of(body, url)
            return found[0] if found else None

        workers = max(1, min(self._client.page_concurrency, len(asks)))
        with futures.ThreadPoolExecutor(workers) as pool:
            hits = [(ask[0], raw) for ask, raw
                    in zip(asks, pool.map(last, asks)) if raw]
        found = {}
        for volume_id, backup in zip([v for v, _raw in hits],
                                     scoped([raw for _v, raw in hits])):
            found.setdefault(volume_id, []).append(backup)
        result = dict.fromkeys(volume_ids)
        result.update((volume_id, coverage_mod.latest(backups))
                      for volume_id, backups in found.items())
        return result

    def _scoped(self, params, filters, rows, checked):
        """Backups of raw ``rows``, the scope checked on the first.

        Once for the listings sharing ``checked`` (a list).
        """
        for raw in rows:
            if not checked:
                checked.append(True)
                scope_mod.check(self._client, params, filters, [raw],
                                'volumes and backups')
            yield backup_mod.Backup(raw)

    # -- listing -------------------------------------------------------------

    def _listing(self, params, on_page):
        """The iterator ``list`` returns; nothing is sent before it runs."""
        filters = self._resolve.query(params)
        if params.get('limit') == 0:
            return
        marker = params.get('marker')
        if lookup.is_id(marker):
            marker = lookup.canonical_id(marker)
        elif marker:
            scope = {k: v for k, v in filters.items()
                     if k in ('all_tenants', 'project_id')}
            with scope_mod.refusals(filters):
                marker = self._resolve.backup_named(marker, scope)['id']
        limit, offset = params.get('limit'), params.get('offset')
        keep = client_filters.keeps(params)
        if keep:
            # limit and offset count the rows kept: the server pages all.
            limit = offset = None
        windows = query_mod.windows_of(params)
        if windows:
            rows = self._windowed(filters, windows, limit, marker, offset,
                                  on_page)
        else:
            rows = self._pages(filters, limit, marker, offset, on_page)
        # Checked here, not in a nested generator: a scope warning names
        # the caller's line (warnings' stacklevel).
        skip, left = params.get('offset') or 0, params.get('limit')
        checked = False
        with scope_mod.refusals(filters):
            for raw in rows:
                if not checked:
                    scope_mod.check(self._client, params, filters, [raw])
                    checked = True
                backup = backup_mod.Backup(raw)
                if keep is None:
                    yield backup
                elif not keep(backup):
                    continue
                elif skip:
                    skip -= 1
                else:
                    yield backup
                    left = None if left is None else left - 1
                    if left == 0:
                        return

    def _counted(self):
        """Whether the microversion in use can count (with_count)."""
        return versions.at_least(self._client.microversion,
                                 query_mod.since('count'))

    def _windowed(self, filters, windows, limit, marker, offset, on_page):
        """Raw backups in age windows (see vbsclient.api.windowed)."""
        filters = dict(filters)
        sort = filters.pop('sort', None)
        return windowed.listing(
            self._fetch_page, filters, windows, sort=sort, limit=limit,
            offset=offset, marker=marker,
            concurrency=self._client.page_concurrency,
            counted=self._counted(), max_pages=self.max_pages,
            on_page=on_page)

    def _pages(self, filters, limit, marker, offset, on_page):
        """Raw backups, page after page (concurrently when possible)."""
        listing = paging.Listing(self._fetch_page, filters, limit=limit,
                                 on_page=on_page, max_pages=self.max_pages)
        counted = self._counted()
        concurrency = self._client.page_concurrency
        if concurrency > 1 and counted and not marker:
            query = listing.first_query(offset=offset, with_count=True)
            return fanout.listing(listing, query, concurrency)
        with_count = bool(on_page and counted and not (marker or offset))
        query = listing.first_query(marker, offset, with_count)
        return listing.sequential(query)

    def _fetch_page(self, query):
        url, body = self._get(LIST_PATH, query, 'listing backups')
        return url, body, shapes.backups_of(body, url)

    def _get(self, path, query, what):
        return self._client.get(path, query, what)
