"""Volumes on the catalog's block-storage service: found by exact name,
and listed (``volumes/detail``) with the paging of backup listings."""

import threading

from vbsclient.api.http import shapes
from vbsclient.api.http import transport as transport_mod
from vbsclient.api.listing import paging
from vbsclient.api.listing import plan
from vbsclient.api import microversion as versions
from vbsclient.api.query import params as query_mod
from vbsclient import exceptions

# keystoneauth matches the official aliases (volumev3, volumev2, volume).
SERVICE_TYPES = ('block-storage',)
LIST_PATH = 'volumes/detail'


class VolumeManager:
    """Volume look-ups and listings (``client.volumes``).

    On a catalog without block-storage, the VBS endpoint (Cinder serves
    both) is asked instead.  On the VBS endpoint, requests carry the VBS
    client's microversion; elsewhere none (Cinder answers at 3.0).
    """

    def __init__(self, session, vbs, region_name=None, interface=None,
                 timeout=None):
        self.transport = transport_mod.Transport(
            session, SERVICE_TYPES, 'volume', region_name=region_name,
            interface=interface, timeout=timeout)
        # The VBS client: its endpoint and microversion.
        self._vbs = vbs
        self._microversion = None
        self._ready = False
        # Threads sharing the manager prepare it once.
        self._lock = threading.Lock()

    @property
    def endpoint(self):
        return self._prepared()[0]

    @property
    def microversion(self):
        """The microversion volume requests carry, or None."""
        return self._prepared()[1]

    def _prepared(self):
        """(endpoint, microversion), set on the Adapter once."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self._prepare()
                    self._ready = True
        return self.transport.endpoint, self._microversion

    def _prepare(self):
        try:
            url = self.transport.endpoint
        except exceptions.EndpointNotFound:
            self.transport.endpoint_override = self._vbs.endpoint
            url = self.transport.endpoint
        if url == self._vbs.endpoint:
            self._microversion = self._vbs.microversion
            self.transport.set_microversion(self._microversion)

    def get(self, path, query, what):
        self._prepared()
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

    def list(self, filters=None, page_concurrency=1,
             max_pages=paging.MAX_PAGES):
        """Yield the volumes (dicts) matching ``filters``, every page.

        Paged as backups are (listing.plan.pages: concurrent pages when
        the microversion carries the count).
        """
        microversion = self.microversion
        state = paging.ListingState(self._fetch_page, filters or {},
                                    max_pages=max_pages, kind='volume')
        counted = bool(microversion and versions.at_least(
            microversion, query_mod.since('count')))
        yield from plan.pages(state, page_concurrency, counted)
