"""``Client``: the entry point of the VBS Python API.

A client owns one keystoneauth Adapter per service it talks to (the VBS
endpoint, block-storage for volume names, identity for project names): the
retry policy, headers and timeout are set on them once, and requests never
leave those endpoints.
"""

import logging
import threading

from vbsclient import config
from vbsclient import exceptions

LOG = logging.getLogger(__name__)


class Client:
    """A VBS (Cinder v3) backup API client on a keystoneauth session.

    :param session: a ``keystoneauth1.session.Session`` (or an Adapter's
        session) with the caller's authentication.
    :param region_name: the catalog region (None: the only one).
    :param interface: the catalog interface (None: public).
    :param endpoint_override: the v3 URL with the project ID, instead of the
        catalog's ``vbs`` or ``block-storage`` entry.
    :param api_version: ``3.N`` to use exactly that microversion (refused if
        the server lacks it); None, ``3`` or ``latest`` to negotiate the
        highest both sides support.
    :param timeout: seconds one request may take, its retries and their
        waits included (each attempt waits only the time left).
    :param page_concurrency: page requests a listing may have in flight
        (1: one page at a time).

    Nothing is sent until an operation needs it. A client may be shared
    between threads: its endpoints and microversion are resolved once,
    under a lock, by whichever thread needs them first; each listing keeps
    its own state.
    """

    def __init__(self, session, region_name=None, interface=None,
                 endpoint_override=None, api_version=None,
                 timeout=config.DEFAULT_TIMEOUT,
                 page_concurrency=config.DEFAULT_PAGE_CONCURRENCY):
        from vbsclient.api import backups
        from vbsclient.api.http import endpoint
        from vbsclient.api.http import transport
        from vbsclient.api import volumes

        self.session = session
        self.region_name = region_name
        self.interface = interface
        #: The explicit microversion asked for, or None to negotiate.
        self.requested_version = config.check(
            'api_version', api_version, 'api_version')
        self.timeout = config.check('timeout', timeout, 'timeout')
        self.page_concurrency = config.check(
            'page_concurrency', page_concurrency, 'page_concurrency')
        self.transport = transport.Transport(
            session, endpoint.SERVICE_TYPES, 'VBS backup',
            region_name=region_name, interface=interface,
            endpoint_override=config.check(
                'endpoint_override', endpoint_override, 'endpoint_override'),
            timeout=self.timeout)
        self._microversion = None
        self._lock = threading.Lock()
        #: Backups: ``list``, ``count``, ``get`` and ``find``.
        self.backups = backups.BackupManager(self)
        #: Volume look-ups on the catalog's block-storage service.
        self.volumes = volumes.VolumeManager(
            session, self, region_name=region_name, interface=interface,
            timeout=self.timeout)
        #: GETs on the catalog's Identity v3 service (project names).
        self.identity = transport.Transport(
            session, ('identity',), 'identity', region_name=region_name,
            interface=interface, timeout=self.timeout,
            locate=self._identity_endpoint)

    @classmethod
    def from_cloud(cls, name=None, **overrides):
        """A client for a cloud of clouds.yaml, as ``openstack --os-cloud``.

        The cloud is read by openstacksdk's config loader (clouds.yaml,
        secure.yaml and the ``OS_*`` variables; ``name`` None picks
        ``OS_CLOUD`` or the environment's cloud). ``overrides`` are this
        class's keywords (``api_version``, ``timeout``, ...) and any
        openstacksdk cloud setting (``region_name``, ``auth``, ...). The
        plugin's own settings come from the keyword, else
        ``OS_VBS_BACKUP_API_VERSION``, ``OS_VBS_ENDPOINT_OVERRIDE``,
        ``OS_VBS_TIMEOUT_SECONDS`` (then the deprecated ``OS_VBS_TIMEOUT``),
        ``OS_VBS_PAGE_CONCURRENCY``, else the clouds.yaml
        keys ``vbs_backup_api_version``, ``vbs_endpoint_override``,
        ``api_timeout`` and ``vbs_page_concurrency``.

        :returns: a Client; nothing is sent yet.
        :raises CloudNotFound: no such cloud in the clouds.yaml read.
        :raises InvalidSetting: another error of openstacksdk's config
            loader or of its authentication settings (``setting``
            ``cloud``), or a malformed plugin setting.
        """
        from openstack import config as sdk_config

        given = {s.name: overrides.pop(s.name, None)
                 for s in config.SETTINGS}
        loader = None
        try:
            loader = sdk_config.OpenStackConfig()
            cloud = loader.get_one(cloud=name, **overrides)
            session = cloud.get_session()
        except Exception as e:
            # openstacksdk's own errors (no such cloud, bad auth settings)
            # as VBSErrors, as the docs promise.
            error = config.cloud_error(e, name, loader)
            if error is None:
                raise
            raise error from e
        found = config.read(cloud.config, given)
        kwargs = {setting: config.check(setting, value, source)
                  for setting, (value, source) in found.items()}
        return cls(session, region_name=cloud.region_name,
                   interface=cloud.interface, **kwargs)

    # -- the endpoint and its microversion ----------------------------------

    @property
    def endpoint(self):
        """The v3 endpoint URL (with the project ID) requests go to."""
        return self.transport.endpoint

    @property
    def project_id(self):
        """The token's project (the one the endpoint lists by default)."""
        return self.transport.call('project lookup',
                                   self.session.get_project_id)

    @property
    def microversion(self):
        """The microversion in use: chosen once, on first need.

        :returns: ``'3.N'``.
        :raises VersionNotSupported: the server lacks the one asked for,
            or shares none with the client.
        """
        if self._microversion is None:
            with self._lock:
                if self._microversion is None:
                    self._choose_microversion()
        return self._microversion

    def _choose_microversion(self):
        from vbsclient.api import discovery
        from vbsclient.api import microversion as versions

        chosen = versions.select(self.requested_version,
                                 discovery.server_range(self.transport))
        # On the Adapter before any request may read it (they all read
        # self.microversion first).
        self.transport.set_microversion(chosen)
        self._microversion = chosen

    def check_gates(self, gates, negotiate=True):
        """Refuse what the microversion cannot carry, before sending it.

        An explicit version is checked without any request; a negotiated one
        only when a gated parameter is asked for, after the discovery (or
        not at all when ``negotiate`` is false: the caller checks again
        later).

        :raises UnsupportedMicroversion: a gate above the microversion.
        """
        from vbsclient.api import microversion as versions
        from vbsclient.api.query import params as query

        if not any(query.since(gate) for gate in gates):
            return
        if self.requested_version:
            versions.check_gates(gates, self.requested_version)
        elif negotiate or self._microversion is not None:
            versions.check_gates(gates, self.microversion)

    def get(self, path, query, what):
        """One GET on the VBS endpoint.

        :returns: (url, the JSON object answered).
        :raises HTTPError: an error answer (and the other errors of
            ``vbsclient.exceptions`` for what failed before one came).
        """
        self.microversion  # chosen (and sent from now on) first
        return self.transport.get(path, query, what)

    def delete(self, path, what):
        """The status of one DELETE on the VBS endpoint (errors raise)."""
        self.microversion
        return self.transport.delete(path, what)

    # -- the other services -------------------------------------------------

    def _identity_endpoint(self):
        from keystoneauth1 import exceptions as ksa_exceptions

        try:
            url = self.session.get_endpoint(
                service_type='identity', interface=self.interface or 'public',
                region_name=self.region_name, min_version='3.0',
                max_version='3.latest')
        except ksa_exceptions.EndpointNotFound:
            url = None
        if not url:
            raise exceptions.EndpointNotFound(
                'no identity v3 endpoint in the service catalog to look up '
                'project names; give the project ID')
        return url.rstrip('/')
