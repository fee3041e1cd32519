"""Finds volumes by exact name on the catalog's block-storage service."""

from vbsclient.api import shapes
from vbsclient.api import transport as transport_mod
from vbsclient import exceptions

# keystoneauth matches the official aliases (volumev3, volumev2, volume).
SERVICE_TYPES = ('block-storage',)


class VolumeManager:
    """Volume look-ups (``client.volumes``).

    On a catalog without block-storage, the VBS endpoint (Cinder serves
    both) is asked instead.
    """

    def __init__(self, session, fallback_endpoint, region_name=None,
                 interface=None, timeout=None):
        self.transport = transport_mod.Transport(
            session, SERVICE_TYPES, 'volume', region_name=region_name,
            interface=interface, timeout=timeout)
        self.fallback_endpoint = fallback_endpoint

    def get(self, path, query, what):
        try:
            self.transport.endpoint
        except exceptions.EndpointNotFound:
            self.transport.endpoint_override = self.fallback_endpoint()
        return self.transport.get(path, query, what)

    def find(self, name, limit):
        """The IDs of up to ``limit`` volumes named exactly ``name``."""
        url, body = self.get('volumes', {'name': name, 'limit': limit},
                             'looking up volume %r' % name)
        return shapes.ids_of(body, 'volumes', url)
