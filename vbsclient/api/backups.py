"""The backup operations of the VBS (Cinder v3) API: list, count, show and
find by name, at the microversion chosen once per command."""

import logging
from urllib import parse

from keystoneauth1 import discover
from keystoneauth1 import exceptions as ksa_exceptions

from vbsclient.api import client as client_mod
from vbsclient.api import endpoint
from vbsclient.api import fanout
from vbsclient.api import paging
from vbsclient.api import shapes
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
             sort=None, on_page=None, count_total=False, labels=None):
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
        if self.page_concurrency > 1 and counted and not marker:
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
