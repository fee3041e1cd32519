"""Sends requests to one resolved endpoint: GETs (JSON objects), DELETEs.

The endpoint is resolved once per client and every request goes there,
through a keystoneauth Adapter that holds the retry policy and headers, so
the token goes nowhere else.
"""

import logging
import threading

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ksa_exceptions

from vbsclient.api.http import deadline as deadline_mod
from vbsclient.api.http import endpoint as endpoint_mod
from vbsclient.api.http import errors as http_errors
from vbsclient.api.http import reauth
from vbsclient.api.http import reconnect
from vbsclient import exceptions

LOG = logging.getLogger(__name__)
# keystoneauth's request log and retry warnings for our requests; the
# command layer decides whether they are shown.
HTTP_LOG = logging.getLogger('vbsclient.http')

# Idempotent GETs answered with these statuses are sent again, up to
# RETRIES times, by reconnect (as are connection failures), after the
# server's Retry-After or a backoff, within the request's deadline.
# keystoneauth's own retries are off: they would not see the deadline.
RETRIES = 3
RETRIABLE_STATUS_CODES = (429, 502, 503, 504)
# A floor for an attempt's timeout (requests refuses 0).
MIN_ATTEMPT_TIMEOUT = 0.01


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
        # Seconds per request, retries included (None: the default).
        self.timeout = timeout
        self._endpoint = None
        self._adapter = None
        # Threads sharing the transport resolve the endpoint once.
        self._lock = threading.Lock()

    @property
    def endpoint(self):
        return self._resolved()[0]

    @property
    def adapter(self):
        return self._resolved()[1]

    def _resolved(self):
        """(endpoint, Adapter): resolved on first need, once."""
        if self._adapter is None:
            with self._lock:
                if self._adapter is None:
                    self._endpoint, self._adapter = self._resolve()
        return self._endpoint, self._adapter

    def _resolve(self):
        if self.locate:
            url = self.call('endpoint lookup', self.locate)
        else:
            url = self.call(
                'endpoint lookup', endpoint_mod.resolve, self.session,
                self.service_types, region_name=self.region_name,
                interface=self.interface, override=self.endpoint_override)
        LOG.debug('%s endpoint: %s', self.name, url)
        return url, adapter.Adapter(
            self.session,
            endpoint_override=url,
            client_name='python-vbsclient',
            logger=HTTP_LOG,
            connect_retries=0,
            status_code_retries=0,
            additional_headers={'Accept': 'application/json'},
            raise_exc=False,
        )

    def set_microversion(self, microversion):
        """Send ``OpenStack-API-Version: volume <microversion>`` from now.

        Once, before any request needs it: requests in other threads read
        these headers.
        """
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
            raise http_errors.tls_failure(e) from e
        except ksa_exceptions.ClientException as e:
            # keystoneauth's messages name the URL already.
            raise exceptions.ConnectionFailed(
                'VBS API request failed (%s): %s' % (what, e)) from e

    def deadline(self):
        """A new request's deadline (deadline.Deadline)."""
        return deadline_mod.Deadline(self.timeout)

    def get(self, path, query, what):
        """(url, JSON object) of GET <endpoint>/<path>?<query>."""
        url = '%s/%s' % (self.endpoint, path)
        ends = self.deadline()
        send = reauth.after_renewal(self.session,
                                    bounded(self.adapter.get, ends))
        resp = self.call(what, self.retrying(what, ends), send, path,
                         params=query)
        return url, json_object(url, resp)

    def delete(self, path, what):
        """The status (2xx) of DELETE <endpoint>/<path>.

        An error status raises HTTPError.  Sent once, within its own
        deadline (retries are for GETs): after a failed connection the
        caller reads the resource to learn what happened.
        """
        url = '%s/%s' % (self.endpoint, path)
        send = reauth.after_renewal(self.session, bounded(
            self.adapter.delete, self.deadline()))
        resp = self.call(what, send, path)
        if resp.status_code >= 400:
            raise http_errors.from_response('DELETE', url, resp)
        return resp.status_code

    def retrying(self, what, ends):
        """A GET sender that retries within ``ends`` (reconnect)."""
        return reconnect.Reconnect(what, ends, HTTP_LOG, retries=RETRIES,
                                   statuses=RETRIABLE_STATUS_CODES)

    def discovery_session(self):
        """A session-like object for keystoneauth's Discover (GETs only).

        It has the same retries, timeout and log as every other request.
        """
        return _DiscoverySession(self)


def bounded(send, ends):
    """``send`` with a timeout of the time ``ends`` leaves, at each call.

    The timeout bounds the connect and each read of one attempt.
    """
    def get(*args, **kwargs):
        kwargs['timeout'] = max(MIN_ATTEMPT_TIMEOUT, ends.left())
        return send(*args, **kwargs)
    return get


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
        for name in ('connect_retries', 'status_code_retries', 'logger'):
            kwargs.setdefault(name, getattr(ad, name))
        ends = self._transport.deadline()
        send = reauth.after_renewal(
            self._transport.session,
            bounded(self._transport.session.get, ends))
        return self._transport.retrying('version discovery', ends)(
            send, url, **kwargs)
