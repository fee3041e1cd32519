"""Volumes on the catalog's block-storage service: found by exact name,
and listed (``volumes/detail``) with the paging of backup listings."""

from vbsclient.api.http import shapes
from vbsclient.api.http import transport as transport_mod
from vbsclient.api.listing import fanout
from vbsclient.api.listing import paging
from vbsclient.api import microversion as versions
from vbsclient.api.query import params as query_mod
from vbsclient import exceptions

# keystoneauth matches the official aliases (volumev3, volumev2, volume).
SERVICE_TYPES = ('block-storage',)
LIST_PATH = 'volumes/detail'


class VolumeManager:
    """Volume look-ups and listings (``client.volumes``).

    On a catalog without block-storage, the VBS endpoint (Cinder serves
    both) is asked instead.
    """

    def __init__(self, session, fallback_endpoint, region_name=None,
                 interface=None, timeout=None):
        self.transport = transport_mod.Transport(
            session, SERVICE_TYPES, 'volume', region_name=region_name,
            interface=interface, timeout=timeout)
        self.fallback_endpoint = fallback_endpoint

    @property
    def endpoint(self):
        try:
            return self.transport.endpoint
        except exceptions.EndpointNotFound:
            self.transport.endpoint_override = self.fallback_endpoint()
            return self.transport.endpoint

    def get(self, path, query, what):
        self.endpoint
        return self.transport.get(path, query, what)

    def find(self, name, limit, scope=None):
        """The IDs of up to ``limit`` volumes named exactly ``name``.

        ``scope``: ``all_tenants`` and ``project_id`` as for backups.
        """
        query = dict({'name': name, 'limit': limit}, **(scope or {}))
        url, body = self.get('volumes', query, 'looking up volume %r' % name)
        return shapes.ids_of(body, 'volumes', url)

    def _fetch_page(self, query):
        url, body = self.get(LIST_PATH, query, 'listing volumes')
        return url, body, shapes.volumes_of(body, url)

    def list(self, filters=None, microversion=None, page_concurrency=1,
             max_pages=paging.MAX_PAGES):
        """Yield the volumes (dicts) matching ``filters``, every page.

        Paged as backups are (paging.Listing; concurrent pages when the
        ``microversion``, sent with every request, carries the count).
        Without one no version header is sent: Cinder answers at 3.0.
        """
        self.endpoint
        if microversion:
            self.transport.set_microversion(microversion)
        listing = paging.Listing(self._fetch_page, filters or {},
                                 max_pages=max_pages, kind='volume')
        if (page_concurrency > 1 and microversion
                and versions.at_least(microversion,
                                      query_mod.since('count'))):
            query = listing.first_query(with_count=True)
            yield from fanout.listing(listing, query, page_concurrency)
            return
        yield from listing.sequential(listing.first_query())
