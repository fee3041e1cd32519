"""``client.backups``: list, count, get and find backups, and the reports
(summary, coverage), with parameters in Python terms, at the client's
microversion."""

from vbsclient.api.listing import paging
from vbsclient.api.listing import parent as parent_mod
from vbsclient.api.listing import plan
from vbsclient.api.query import params as query_mod
from vbsclient.api.reports import coverage as coverage_mod
from vbsclient.api.reports import coverage_read
from vbsclient.api.reports import metrics as metrics_mod
from vbsclient.api.reports import names as names_mod
from vbsclient.api.reports import summary as summary_mod
from vbsclient.api.retention import methods as retention
from vbsclient import backup as backup_mod
from vbsclient import exceptions


class BackupManager(retention.RetentionMethods):
    """The backups of one client (``client.backups``).

    Every method checks its parameters before sending anything: a bad value
    raises InvalidParameter, and a parameter the microversion cannot carry
    raises UnsupportedMicroversion (with an explicit ``api_version`` before
    any request; when negotiating, right after the version discovery).
    """

    def __init__(self, client):
        self._client = client
        # The most pages one listing reads (a server looping is cut).
        self.max_pages = paging.MAX_PAGES
        self._backups = plan.Backups(client, lambda: self.max_pages)

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
        :param status: exact status (see
            ``vbsclient.api.query.params.STATUSES``).
        :param volume: the volume's name or ID (an ID is sent unchecked, so
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
        :returns: an iterator of :class:`vbsclient.backup.Backup`.
        :raises InvalidParameter: a bad value, before any request.
        :raises UnsupportedMicroversion: a parameter the microversion
            cannot carry.
        :raises MarkerNotFound: no backup ``marker`` (when iterated).
        :raises ScopeIgnored: the server did not keep ``project``.
        """
        params = query_mod.given(locals())
        self._client.check_gates(query_mod.gates(params), negotiate=False)
        return self._backups.listing(params, on_page)

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
        number.

        :returns: an int.
        :raises InvalidParameter: a bad value, before any request.
        :raises UnsupportedMicroversion: a parameter the microversion
            cannot carry.
        :raises ScopeIgnored: the server did not keep ``project``.
        """
        return self._backups.count(query_mod.given(locals()))

    def get(self, backup_id):
        """The backup with this ID.

        :returns: a :class:`vbsclient.backup.Backup`.
        :raises NotFound: there is none.
        :raises HTTPError: any other error answer.
        """
        query_mod.check_text('backup_id', backup_id)
        return self._backups.by_id(backup_id)

    def find(self, name_or_id, *, all_projects=False, project=None,
             project_domain=None):
        """The backup with this name or ID.

        A UUID is one request by ID (then by name, should that answer 404);
        anything else is one request by name, in the scope given (the
        caller's project by default). NotFound when nothing matches,
        NoUniqueMatch (with ``.ids``) when several do.

        :returns: a :class:`vbsclient.backup.Backup`.
        :raises NotFound: nothing matches.
        :raises NoUniqueMatch: several do (``.ids``).
        """
        query_mod.check_text('name_or_id', name_or_id)
        return self._backups.find(name_or_id, query_mod.given(locals()))

    def parent_of(self, backup):
        """The backup an incremental ``backup`` builds on, inferred; or None.

        The API does not send it: it is the available backup of the same
        volume, created before it, with the newest data, the rule Cinder
        followed when it made the incremental (and ``prune``'s).  One
        request of one row (``volume_id``, ``status=available``, the
        backup as marker); more only while an older row could hold newer
        data.  Statuses are today's (see
        :mod:`vbsclient.api.listing.parent`).

        :returns: a Backup, or None for a full backup (no request) or when
            no candidate exists.
        :raises InvalidParameter: ``backup`` is not a Backup.
        """
        if not isinstance(backup, backup_mod.Backup):
            raise exceptions.InvalidParameter(
                'backup', backup, 'give a Backup (from get, find or list)')
        own = self._client.project_id if backup.project_id else None
        return parent_mod.parent_of(self._backups.fetch_page, backup, own,
                                    self._backups.max_pages)

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
        :class:`vbsclient.api.reports.summary.GroupSummary` in group order:
        by the first key, then the next, a missing value last.

        :param group_by: keys, in order, from ``status``, ``project``,
            ``volume``, ``availability_zone``, ``incremental`` (decoded as
            ``Backup.is_incremental``) and ``month`` (the UTC year-month
            of created_at, ``2026-01``); a
            sequence or one string separated by commas. Empty: one group.
            Grouped by ``volume`` or ``project``, each row's ``names`` has
            the names beside the IDs: one volumes listing in the same
            scope; the token's own project, else one Keystone projects
            listing (an admin's). No name found: None.

        The filters, the age windows (``created_before``, ...),
        ``incremental`` and ``on_page`` are those of :meth:`list`: a
        window is located by an ordered search and only its pages are
        read.

        :returns: a list of GroupSummary.
        :raises InvalidParameter: a bad value, before any request.
        :raises UnsupportedMicroversion: a parameter the microversion
            cannot carry.
        """
        group_by = summary_mod.check_group_by(group_by)
        rows = summary_mod.summarize(self.list(
            on_page=on_page, **query_mod.keywords(locals())), group_by)
        names_mod.name_groups(self._client, rows, names_mod.scope_of(
            rows, all_projects, project is not None), self.max_pages)
        return rows

    def coverage(self, *, max_age=coverage_mod.DEFAULT_MAX_AGE,
                 uncovered=False, all_projects=False, project=None,
                 project_domain=None, now=None,
                 probe_bound=coverage_mod.PROBE_BOUND):
        """Each volume's last backup and whether it is recent enough.

        Returns a list of
        :class:`vbsclient.api.reports.coverage.VolumeCoverage`, one per
        volume the caller can see (``volumes/detail``, every page;
        deleted volumes are not listed), in the server's order.  A backup
        in status available or restoring covers its volume when the point
        it restores to (data_timestamp, else created_at) is within
        ``max_age`` (see :mod:`vbsclient.api.reports.coverage`).

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
        :returns: a list of VolumeCoverage.
        :raises InvalidParameter: a bad value, before any request.
        :raises UnsupportedMicroversion: a parameter the microversion
            cannot carry.
        :raises ScopeIgnored: the server did not keep ``project``.
        """
        cutoff = coverage_mod.cutoff(max_age, now)
        params = query_mod.given(locals())
        return coverage_read.read(self._backups, params,
                                  self._backups.resolve.query(params), cutoff,
                                  uncovered, probe_bound)

    def metrics(self, *, max_age=coverage_mod.DEFAULT_MAX_AGE,
                per_volume=False, sizes=False, name=None, status=None,
                volume=None, name_like=None, status_like=None,
                volume_like=None, all_projects=False, project=None,
                project_domain=None, created_before=None, created_after=None,
                data_timestamp_before=None, data_timestamp_after=None,
                incremental=None, now=None):
        """The values a monitoring system alerts on, read cheaply.

        Returns a :class:`vbsclient.api.reports.metrics.Metrics`: backups
        per status (every status, 0 included), the newest and oldest
        available backup's created_at, the volumes and how many are not
        covered (as :meth:`coverage` says, for ``max_age``), with
        ``per_volume`` each volume's last recovery point, with ``sizes``
        the summed sizes per status (which reads the whole listing).
        ``vbsclient.api.reports.exposition.render`` writes it in
        Prometheus' text format.  The filters and windows (those of
        :meth:`count`) select the backups; the volumes follow the scope.
        """
        return metrics_mod.collect(self, dict(
            name=name, status=status, volume=volume, name_like=name_like,
            status_like=status_like, volume_like=volume_like,
            all_projects=all_projects, project=project,
            project_domain=project_domain, created_before=created_before,
            created_after=created_after,
            data_timestamp_before=data_timestamp_before,
            data_timestamp_after=data_timestamp_after,
            incremental=incremental), max_age=max_age,
            per_volume=per_volume, sizes=sizes, now=now)
