"""Sends requests to one resolved endpoint: GETs (JSON objects), DELETEs.

The endpoint is resolved once per client and every request goes there,
through a keystoneauth Adapter that holds the retry policy and headers, so
the token goes nowhere else.
"""

import logging

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ksa_exceptions

from vbsclient.api.http import endpoint as endpoint_mod
from vbsclient.api.http import errors as http_errors
from vbsclient.api.http import reauth
from vbsclient.api.http import reconnect
from vbsclient.api.http import retry_after
from vbsclient.api.http import tls as tls_errors
from vbsclient import exceptions

LOG = logging.getLogger(__name__)
# keystoneauth's request log and retry warnings for our requests; the
# command layer decides whether they are shown.
HTTP_LOG = logging.getLogger('vbsclient.http')

# Idempotent GETs are retried on these statuses, with keystoneauth's
# backoff (0.5 s doubling), or the server's Retry-After in whole seconds
# from keystoneauth1 5.16.0 on (older ones, and an HTTP date, get the
# backoff); retry_after.guard refuses one longer than the timeout.
# Connection failures are retried by reconnect instead.
RETRIES = 3
RETRIABLE_STATUS_CODES = (429, 502, 503, 504)


class Transport:
    """GETs on the v3 endpoint of one catalog service (or an override)."""

    def __init__(self, session, service_types, name, region_name=None,
                 interface=None, endpoint_override=None, timeout=None,
                 locate=None):
        self.session = session
        # Finds the endpoint instead of the v3 rule of endpoint.resolve.
        self.locate = locate
        self.name = name
        self.service_types = tuple(service_types)
        self.region_name = region_name
        self.interface = interface
        self.endpoint_override = endpoint_override
        # None leaves the session's own timeout in force.
        self.timeout = timeout
        self._endpoint = None
        self._adapter = None

    @property
    def endpoint(self):
        if self._endpoint is None and self.locate:
            self._endpoint = self.call('endpoint lookup', self.locate)
        if self._endpoint is None:
            self._endpoint = self.call(
                'endpoint lookup', endpoint_mod.resolve, self.session,
                self.service_types, region_name=self.region_name,
                interface=self.interface, override=self.endpoint_override)
            LOG.debug('%s endpoint: %s', self.name, self._endpoint)
        return self._endpoint

    @property
    def adapter(self):
        if self._adapter is None:
            self._adapter = adapter.Adapter(
                self.session,
                endpoint_override=self.endpoint,
                client_name='python-vbsclient',
                logger=HTTP_LOG,
                connect_retries=0,
                status_code_retries=RETRIES,
                retriable_status_codes=list(RETRIABLE_STATUS_CODES),
                additional_headers={'Accept': 'application/json'},
                raise_exc=False,
            )
        return self._adapter

    def set_microversion(self, microversion):
        """Send ``OpenStack-API-Version: volume <microversion>`` from now."""
        self.adapter.additional_headers['OpenStack-API-Version'] = (
            'volume %s' % microversion)

    def call(self, what, func, *args, **kwargs):
        """Run a keystoneauth call; its failures become one-line VBSErrors."""
        try:
            return func(*args, **kwargs)
        except ksa_exceptions.HttpError as e:
            # Authentication answered with an error status (401 and alike).
            raise exceptions.AuthFailed(
                'VBS API request failed (%s): %s' % (what, e)) from e
        except ksa_exceptions.SSLError as e:
            raise tls_errors.tls_failure(e) from e
        except ksa_exceptions.ClientException as e:
            # keystoneauth's messages name the URL already.
            raise exceptions.ConnectionFailed(
                'VBS API request failed (%s): %s' % (what, e)) from e

    def request_kwargs(self):
        """What keystoneauth needs per request beyond the Adapter.

        The timeout, and a hook that refuses a Retry-After above it (the
        Adapter holds neither).
        """
        if self.timeout is None:
            return {}
        return {'timeout': self.timeout,
                'hooks': {'response': retry_after.guard(
                    self.timeout, RETRIABLE_STATUS_CODES)}}

    def get(self, path, query, what):
        """(url, JSON object) of GET <endpoint>/<path>?<query>."""
        url = '%s/%s' % (self.endpoint, path)
        send = reauth.after_renewal(self.session, self.adapter.get)
        resp = self.call(what, self.reconnect(what), send, path,
                         params=query, **self.request_kwargs())
        return url, json_object(url, resp)

    def delete(self, path, what):
        """The status (2xx) of DELETE <endpoint>/<path>.

        An error status raises HTTPError.  Not sent again after a failed
        connection (reconnect retries GETs only): the caller reads the
        resource to learn what happened.
        """
        url = '%s/%s' % (self.endpoint, path)
        send = reauth.after_renewal(self.session, self.adapter.delete)
        resp = self.call(what, send, path, **self.request_kwargs())
        if resp.status_code >= 400:
            raise http_errors.from_response('DELETE', url, resp)
        return resp.status_code

    def reconnect(self, what):
        """A GET sender that retries connection failures (reconnect)."""
        return reconnect.Reconnect(what, self.timeout, HTTP_LOG)

    def discovery_session(self):
        """A session-like object for keystoneauth's Discover (GETs only).

        It has the same retries, timeout and log as every other request.
        """
        return _DiscoverySession(self)


def json_object(url, resp):
    """The JSON object of a GET answer.

    An error status raises HTTPError; a body that is not a JSON object
    raises BadResponse.
    """
    if resp.status_code >= 400:
        raise http_errors.from_response('GET', url, resp)
    try:
        body = resp.json()
    except ValueError:
        raise exceptions.BadResponse(
            'VBS API answered GET %s with a body that is not JSON%s'
            % (url, http_errors.body_hint(resp)))
    if not isinstance(body, dict):
        raise exceptions.BadResponse(
            'VBS API answered GET %s with JSON that is not an object' % url)
    return body


class _DiscoverySession:

    def __init__(self, transport):
        self._transport = transport

    def get(self, url, **kwargs):
        ad = self._transport.adapter
        kwargs.update(self._transport.request_kwargs())
        for name in ('connect_retries', 'status_code_retries',
                     'retriable_status_codes', 'logger'):
            kwargs.setdefault(name, getattr(ad, name))
        return self._transport.reconnect('version discovery')(
            self._transport.session.get, url, **kwargs)
