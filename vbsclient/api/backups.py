"""The backup operations of the VBS (Cinder v3) API: list, count, show,
find by name and the reports (summary, coverage), at the microversion
chosen once per command."""

from concurrent import futures
import logging
from urllib import parse

from keystoneauth1 import discover
from keystoneauth1 import exceptions as ksa_exceptions

from vbsclient.api import client as client_mod
from vbsclient.api import coverage as coverage_mod
from vbsclient.api import endpoint
from vbsclient.api import fanout
from vbsclient.api import paging
from vbsclient.api import shapes
from vbsclient.api import summary as summary_mod
from vbsclient.api import versions

LOG = logging.getLogger(__name__)

LIST_PATH = 'backups/detail'
# What Cinder sorts backups by (columns of its Backup model; "name" from
# 3.37, see versions).
SORT_KEYS = ('created_at', 'updated_at', 'id', 'name', 'status', 'size',
             'volume_id', 'snapshot_id', 'availability_zone',
             'data_timestamp', 'container', 'object_count', 'fail_reason',
             'project_id', 'user_id')
SORT_DIRS = ('asc', 'desc')


class BackupAPI:
    """The backup part of the VBS (Cinder v3) API."""

    def __init__(self, session, explicit_version=None, region_name=None,
                 interface=None, endpoint_override=None, max_pages=None,
                 timeout=None, page_concurrency=1):
        self.client = client_mod.Client(
            session, endpoint.SERVICE_TYPES, 'VBS backup',
            region_name=region_name,
            interface=interface, endpoint_override=endpoint_override,
            timeout=timeout)
        # The user's explicit '3.N', or None to negotiate.
        self.explicit_version = explicit_version
        self.max_pages = max_pages or paging.MAX_PAGES
        self.page_concurrency = page_concurrency
        self._microversion = None
        self._volumes = None

    @property
    def session(self):
        return self.client.session

    @property
    def timeout(self):
        return self.client.timeout

    @property
    def endpoint(self):
        return self.client.endpoint

    @property
    def volumes(self):
        """Volume look-ups on the catalog's block-storage service."""
        if self._volumes is None:
            from vbsclient.api import volumes
            self._volumes = volumes.VolumeAPI(
                self.session, lambda: self.endpoint,
                region_name=self.client.region_name,
                interface=self.client.interface, timeout=self.timeout)
        return self._volumes

    @property
    def project_id(self):
        """The project the endpoint lists (the token's), for messages."""
        return self.client.call('project lookup',
                                self.session.get_project_id)

    # -- microversion, chosen once per command ------------------------------

    @property
    def microversion(self):
        if self._microversion is None:
            self._microversion = versions.select(
                self.explicit_version, self._server_range())
            # On the Adapter once, before any page thread exists.
            self.client.set_microversion(self._microversion)
        return self._microversion

    def check_gates(self, keys, labels=None):
        """Refuse what the microversion cannot carry, before listing.

        ``keys`` are filter keys and ``sort:<key>`` entries.  An explicit
        version is the version in use (or refused by the server's range
        later), so it is checked before any request at all; a negotiated
        one needs the version discovery, and only when a gated key is
        asked for.
        """
        if not versions.gated(keys):
            return
        in_use = self.explicit_version or self.microversion
        versions.check_filters(keys, in_use, labels)

    def _server_range(self):
        # Authenticated: Cinder behind keystonemiddleware answers 401 to an
        # anonymous GET /v3/, which would cost a second request.  The URL
        # is on the resolved endpoint, so the token stays there.
        url = endpoint.version_document_url(self.endpoint)
        data = self.client.call('version discovery', _version_data,
                                self.client.discovery_session(), url)
        if data is None:
            return None
        found = versions.server_range(data)
        LOG.debug('version document at %s: %s', url, found)
        return found

    def _get(self, path, query, what):
        self.microversion  # chosen (and sent from now on) first
        return self.client.get(path, query, what)

    def _fetch_page(self, query):
        url, body = self._get(LIST_PATH, query, 'listing backups')
        return url, body, shapes.backups_of(body, url)

    # -- operations ----------------------------------------------------------

    def list(self, filters=None, limit=None, marker=None, offset=None,
             sort=None, on_page=None, count_total=False, labels=None,
             concurrent=True):
        """Yield backups (dicts) matching ``filters``, in the server's order.

        :param filters: query filters, e.g. ``{'name~': 'db'}``.
        :param limit: the most backups to return in total (None: all).
        :param marker: start after this backup id.
        :param offset: skip this many backups first.
        :param sort: Cinder's ``sort`` value, ``key[:dir][,key[:dir]...]``.
        :param on_page: called as on_page(pages, backups, total) before each
            request for a further page; total is None unless counted.
        :param count_total: ask for the total with the first page, when the
            microversion allows and the listing starts at the beginning.
        :param labels: filter -> the option that set it, for messages.
        :param concurrent: pages may be fetched concurrently; False for a
            listing that may be left early (no page is asked for ahead).
        """
        filters = dict(filters or {})
        if sort:
            filters['sort'] = sort
        self.check_gates(list(filters) + sort_gates(sort), labels)
        if limit is not None and limit <= 0:
            return
        listing = paging.Listing(self._fetch_page, filters, limit=limit,
                                 on_page=on_page, max_pages=self.max_pages,
                                 marker_label=(labels or {}).get('marker'))
        counted = versions.supports('with_count', self.microversion)
        if (concurrent and self.page_concurrency > 1 and counted
                and not marker):
            query = listing.first_query(offset=offset, with_count=True)
            yield from fanout.listing(listing, query, self.page_concurrency)
            return
        with_count = bool(count_total and counted and not (marker or offset))
        query = listing.first_query(marker, offset, with_count)
        yield from listing.sequential(query)

    def count(self, filters=None, labels=None):
        """Count the backups matching ``filters`` in one request.

        Returns (count, the first of them as a list).
        """
        filters = dict(filters or {})
        self.check_gates(list(filters) + ['with_count'], labels)
        query = dict(filters)
        query['with_count'] = 'true'
        query['limit'] = 1
        url, body = self._get(LIST_PATH, query, 'counting backups')
        shapes.backups_of(body, url)
        return shapes.count_of(body, url), body['backups']

    def get(self, backup_id):
        """The backup with this id; HTTPError 404 when there is none."""
        path = 'backups/%s' % parse.quote(backup_id, safe='')
        url, body = self._get(path, None, 'showing backup %s' % backup_id)
        return shapes.backup_of(body, url)

    def find(self, name, limit):
        """Up to ``limit`` backups named exactly ``name`` (one request)."""
        url, body = self._get(LIST_PATH, {'name': name, 'limit': limit},
                              'looking up backup %r' % name)
        return shapes.backups_of(body, url)

    def summary(self, filters=None, group_by=summary_mod.DEFAULT_GROUP_BY,
                on_page=None, labels=None, sample=None):
        """Sum up the backups matching ``filters`` per group.

        One pass over the listing (concurrent pages, exact as ``list``),
        keeping one record per group; returns the GroupSummary list in
        group order.  An unknown group key raises InvalidParameter before
        any request.  ``sample``: a list the first backup is appended to
        (for the scope check).
        """
        group_by = summary_mod.check_group_by(group_by)
        backups = self.list(filters, on_page=on_page, labels=labels)
        if sample is not None:
            backups = _sampled(backups, sample)
        return summary_mod.summarize(backups, group_by)

    def coverage(self, max_age=coverage_mod.DEFAULT_MAX_AGE, uncovered=False,
                 scope=None, now=None,
                 probe_bound=coverage_mod.PROBE_BOUND, sample=None):
        """The VolumeCoverage of every volume in ``scope``.

        :param max_age: a backup younger than this covers its volume
            (a timedelta or ``<n><unit>`` text, e.g. '36h', '7d').
        :param uncovered: only the volumes not covered.
        :param scope: ``{'all_tenants': 1}`` and maybe ``project_id``, for
            the volumes and the backups alike.
        :param now: an aware datetime instead of the current time.
        :param sample: a list the first backup read is appended to.
        """
        cutoff = coverage_mod.cutoff(max_age, now)
        scope = dict(scope or {})
        microversion = self.microversion
        same = self.volumes.endpoint == self.endpoint
        volumes = self.volumes.list(
            scope, microversion=microversion if same else None,
            page_concurrency=self.page_concurrency, max_pages=self.max_pages)
        # Newest first (the default order), one page at a time: the
        # listing is left at the first backup older than the cutoff.
        available = self.list(dict(scope, status='available'),
                              concurrent=False)
        if sample is not None:
            available = _sampled(available, sample)
        return coverage_mod.assess(
            volumes, available, lambda ids: self.last_backups(ids, scope),
            cutoff, uncovered=uncovered, probe_bound=probe_bound)

    def last_backups(self, volume_ids, scope=None):
        """{volume_id: its newest available backup, or None}.

        One request each, up to the page concurrency at a time.
        """
        self.microversion  # chosen before any thread asks

        def last(volume_id):
            query = dict(scope or {}, volume_id=volume_id,
                         status='available', limit=1)
            url, body = self._get(LIST_PATH, query,
                                  'finding the last backup of volume %s'
                                  % volume_id)
            found = shapes.backups_of(body, url)
            return found[0] if found else None

        workers = max(1, min(self.page_concurrency, len(volume_ids)))
        with futures.ThreadPoolExecutor(workers) as pool:
            return dict(zip(volume_ids, pool.map(last, volume_ids)))


def _sampled(backups, sample):
    for backup in backups:
        if not sample:
            sample.append(backup)
        yield backup


def _version_data(session, url):
    """keystoneauth's normalized version data at ``url``, or None.

    The endpoint was resolved (and the token got) before, so an error
    answer here is the version document's: there is none.
    """
    try:
        disc = discover.Discover(session, url, authenticated=True)
        return disc.version_data(allow_experimental=True, allow_unknown=True)
    except (ksa_exceptions.HttpError, ksa_exceptions.DiscoveryFailure,
            ValueError, KeyError, TypeError) as e:
        LOG.debug('no version document at %s: %s', url, e)
        return None


def sort_gates(sort):
    """The ``sort:<key>`` gate entries of a sort value."""
    if not sort:
        return []
    return ['sort:%s' % item.partition(':')[0] for item in sort.split(',')]
