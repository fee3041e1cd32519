"""Volumes on the catalog's block-storage service: found by exact name,
and listed (``volumes/detail``) with the paging of backup listings."""

from vbsclient.api import client as client_mod
from vbsclient.api import exceptions
from vbsclient.api import fanout
from vbsclient.api import paging
from vbsclient.api import shapes
from vbsclient.api import versions

# keystoneauth matches the official aliases (volumev3, volumev2, volume).
SERVICE_TYPES = ('block-storage',)
LIST_PATH = 'volumes/detail'


class VolumeAPI:
    """Volume look-ups and listings.

    On a catalog without block-storage, the VBS endpoint (Cinder serves
    both) is asked instead.
    """

    def __init__(self, session, fallback_endpoint, region_name=None,
                 interface=None, timeout=None):
        self.client = client_mod.Client(
            session, SERVICE_TYPES, 'volume', region_name=region_name,
            interface=interface, timeout=timeout)
        self.fallback_endpoint = fallback_endpoint

    @property
    def endpoint(self):
        try:
            return self.client.endpoint
        except exceptions.EndpointNotFound:
            self.client.endpoint_override = self.fallback_endpoint()
            return self.client.endpoint

    def find(self, name, limit):
        """The ids of up to ``limit`` volumes named exactly ``name``."""
        self.endpoint
        url, body = self.client.get('volumes', {'name': name, 'limit': limit},
                                    'looking up volume %r' % name)
        return shapes.ids_of(body, 'volumes', url)

    def _fetch_page(self, query):
        url, body = self.client.get(LIST_PATH, query, 'listing volumes')
        return url, body, shapes.volumes_of(body, url)

    def list(self, filters=None, microversion=None, page_concurrency=1,
             max_pages=paging.MAX_PAGES):
        """Yield the volumes (dicts) matching ``filters``, every page.

        Paged as backups are (paging.Listing; concurrent pages when the
        ``microversion``, sent with every request, carries with_count).
        Without one no version header is sent: Cinder answers at 3.0.
        """
        self.endpoint
        if microversion:
            self.client.set_microversion(microversion)
        listing = paging.Listing(self._fetch_page, filters or {},
                                 max_pages=max_pages, kind='volume')
        if (page_concurrency > 1 and microversion
                and versions.supports('with_count', microversion)):
            query = listing.first_query(with_count=True)
            yield from fanout.listing(listing, query, page_concurrency)
            return
        yield from listing.sequential(listing.first_query())
