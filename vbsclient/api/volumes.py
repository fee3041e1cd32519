"""Finds volumes by exact name on the catalog's block-storage service."""

from vbsclient.api import client as client_mod
from vbsclient.api import exceptions
from vbsclient.api import shapes

# keystoneauth matches the official aliases (volumev3, volumev2, volume).
SERVICE_TYPES = ('block-storage',)


class VolumeAPI:
    """Volume look-ups.

    On a catalog without block-storage, the VBS endpoint (Cinder serves
    both) is asked instead.
    """

    def __init__(self, session, fallback_endpoint, region_name=None,
                 interface=None, timeout=None):
        self.client = client_mod.Client(
            session, SERVICE_TYPES, 'volume', region_name=region_name,
            interface=interface, timeout=timeout)
        self.fallback_endpoint = fallback_endpoint

    def find(self, name, limit):
        """The ids of up to ``limit`` volumes named exactly ``name``."""
        try:
            self.client.endpoint
        except exceptions.EndpointNotFound:
            self.client.endpoint_override = self.fallback_endpoint()
        url, body = self.client.get('volumes', {'name': name, 'limit': limit},
                                    'looking up volume %r' % name)
        return shapes.ids_of(body, 'volumes', url)
