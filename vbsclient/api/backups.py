"""Lists and counts backups on the resolved v3 endpoint.

Every request goes to the endpoint resolved once per command, with the
microversion chosen once per command.  Next links are read for their
marker only: their scheme, host and path are never used, so the token
goes nowhere else.
"""

import http
import logging
import re
from urllib import parse

from keystoneauth1 import adapter
from keystoneauth1 import discover
from keystoneauth1 import exceptions as ksa_exceptions

from vbsclient.api import endpoint
from vbsclient.api import exceptions
from vbsclient.api import retry_after
from vbsclient.api import versions

LOG = logging.getLogger(__name__)
# keystoneauth's request log and retry warnings for our requests, kept
# out of a failure's one-line message unless debugging.
HTTP_LOG = logging.getLogger('vbsclient.http')

LIST_PATH = 'backups/detail'
# Idempotent GETs are retried on these, with keystoneauth's backoff
# (0.5 s doubling) and its honouring of Retry-After up to the timeout.
RETRIES = 3
RETRIABLE_STATUS_CODES = (429, 502, 503, 504)
# A server that keeps writing next links with fresh markers is stopped.
MAX_PAGES = 10000

# The documented JSON type of each field shown, null always allowed.  A
# value of another type is refused rather than shown as if it were right.
# Exact types (a JSON true is not an integer), checked per backup: cheap.
_STR = frozenset((str, type(None)))
_INT = frozenset((int, type(None)))
_BOOL = frozenset((bool, type(None)))
_TYPE_NAMES = {_STR: 'string', _INT: 'integer', _BOOL: 'boolean'}
FIELD_TYPES = tuple({
    'id': frozenset((str,)),
    'name': _STR, 'description': _STR, 'status': _STR, 'size': _INT,
    'is_incremental': _BOOL, 'created_at': _STR, 'availability_zone': _STR,
    'volume_id': _STR, 'snapshot_id': _STR, 'container': _STR,
    'object_count': _INT, 'fail_reason': _STR,
    'has_dependent_backups': _BOOL, 'data_timestamp': _STR,
    'updated_at': _STR, 'os-backup-project-attr:project_id': _STR,
    'user_id': _STR, 'encryption_key_id': _STR,
}.items())


class BackupAPI:
    """The backup part of the VBS (Cinder v3) API."""

    def __init__(self, session, explicit_version=None, region_name=None,
                 interface=None, endpoint_override=None, max_pages=None,
                 timeout=None, debug=True):
        self.session = session
        self.timeout = timeout
        # The user's explicit '3.N', or None to negotiate.
        self.explicit_version = explicit_version
        self.region_name = region_name
        self.interface = interface
        self.endpoint_override = endpoint_override
        self.max_pages = max_pages or MAX_PAGES
        # keystoneauth's retry warnings and request log: only when debugging.
        HTTP_LOG.setLevel(logging.NOTSET if debug else logging.ERROR)
        self._endpoint = None
        self._microversion = None
        self._adapter = None

    # -- endpoint and microversion, resolved once per command --------------

    @property
    def endpoint(self):
        if self._endpoint is None:
            self._endpoint = self._call(
                'endpoint lookup', endpoint.resolve, self.session,
                region_name=self.region_name, interface=self.interface,
                override=self.endpoint_override)
            LOG.debug('VBS backup endpoint: %s', self._endpoint)
        return self._endpoint

    @property
    def microversion(self):
        if self._microversion is None:
            self._microversion = versions.select(
                self.explicit_version, self._server_range())
        return self._microversion

    def check_filters(self, keys, labels=None):
        """Refuse filters the microversion cannot carry, before listing.

        An explicit version is the version in use (or refused by the
        server's range later), so it is checked before any request at all;
        a negotiated one needs the version discovery, and only when a gated
        filter is asked for.
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
        session = _DiscoverySession(self.session, self._request_kwargs())
        try:
            disc = self._call('version discovery', discover.Discover,
                              session, url, authenticated=True)
            data = disc.version_data(allow_experimental=True,
                                     allow_unknown=True)
        except (ksa_exceptions.HttpError, ksa_exceptions.DiscoveryFailure,
                ValueError, KeyError, TypeError) as e:
            LOG.debug('no version document at %s: %s', url, e)
            return None
        found = versions.server_range(data)
        LOG.debug('version document at %s: %s', url, found)
        return found

    # -- requests ----------------------------------------------------------

    def _get_adapter(self):
        if self._adapter is None:
            self._adapter = adapter.Adapter(
                self.session,
                endpoint_override=self.endpoint,
                client_name='python-vbsclient',
                logger=HTTP_LOG,
            )
        return self._adapter

    def _request_kwargs(self):
        """Retry policy and timeout, for keystoneauth's Session.request."""
        kwargs = {
            'connect_retries': RETRIES,
            'status_code_retries': RETRIES,
            'retriable_status_codes': list(RETRIABLE_STATUS_CODES),
        }
        # None leaves the session's own timeout in force.
        if self.timeout is not None:
            kwargs['timeout'] = self.timeout
            # keystoneauth's Retry-After waits are capped at the timeout.
            kwargs['hooks'] = {'response': retry_after.guard(
                self.timeout, RETRIABLE_STATUS_CODES)}
        return kwargs

    def _call(self, what, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ksa_exceptions.HttpError:
            raise
        except ksa_exceptions.SSLError as e:
            raise exceptions.tls_failure(e) from e
        except ksa_exceptions.ClientException as e:
            # keystoneauth's messages name the URL already.
            raise exceptions.ConnectionFailed(
                'VBS API request failed (%s): %s' % (what, e)) from e

    def _get(self, path, query):
        url = '%s/%s' % (self.endpoint, path)
        headers = {
            'Accept': 'application/json',
            'OpenStack-API-Version': 'volume %s' % self.microversion,
        }
        resp = self._call('listing backups', self._get_adapter().get, path,
                          params=query, headers=headers, raise_exc=False,
                          **self._request_kwargs())
        if resp.status_code >= 400:
            raise _http_error('GET', url, resp)
        try:
            body = resp.json()
        except ValueError:
            raise exceptions.BadResponse(
                'VBS API answered GET %s with a body that is not JSON%s'
                % (url, _body_hint(resp)))
        if not isinstance(body, dict):
            raise exceptions.BadResponse(
                'VBS API answered GET %s with JSON that is not an object'
                % url)
        return url, body

    # -- operations --------------------------------------------------------

    def list(self, filters=None, limit=None, marker=None, offset=None,
             on_page=None, count_total=False, labels=None):
        """Yield backups (dicts) matching ``filters``, in the server's order.

        :param filters: query filters, e.g. ``{'name~': 'db'}``.
        :param limit: the most backups to return in total (None: all).
        :param marker: start after this backup id.
        :param offset: skip this many backups first.
        :param on_page: called as on_page(pages, backups, total) before each
            request for a further page; total is None unless counted.
        :param count_total: ask for the total with the first page, when the
            microversion allows and the listing starts at the beginning.
        :param labels: filter -> the option that set it, for messages.
        """
        filters = dict(filters or {})
        self.check_filters(filters, labels)
        if limit is not None and limit <= 0:
            return
        query = dict(filters)
        if marker:
            query['marker'] = marker
        if offset:
            query['offset'] = offset
        if count_total and not (marker or offset) and versions.supports(
                'with_count', self.microversion):
            query['with_count'] = 'true'
        total = None
        seen_ids = set()
        used_markers = {marker} if marker else set()
        pages = 0
        while True:
            if limit is not None:
                query['limit'] = limit - len(seen_ids)
            url, body = self._get(LIST_PATH, query)
            pages += 1
            page = _backups_of(body, url)
            if pages == 1 and 'with_count' in query:
                total = body.get('count')
                if type(total) is not int:
                    total = None
            for backup in page:
                if backup['id'] in seen_ids:
                    raise exceptions.PaginationError(
                        'VBS API returned backup %s twice while paging %s; '
                        'the listing would not be exact' % (backup['id'], url))
                seen_ids.add(backup['id'])
                yield backup
                if limit is not None and len(seen_ids) >= limit:
                    return
            next_marker = _next_marker(body, page)
            if next_marker is None or not page:
                return
            if next_marker in used_markers:
                raise exceptions.PaginationError(
                    'VBS API sent the next marker %s again while paging %s; '
                    'stopping instead of looping' % (next_marker, url))
            if pages >= self.max_pages:
                raise exceptions.PaginationError(
                    'VBS API still sent a next link after %d pages of %s; '
                    'stopping (narrow the listing or use --limit)'
                    % (pages, url))
            used_markers.add(next_marker)
            if on_page:
                on_page(pages, len(seen_ids), total)
            # Only the marker moves: our own filters stay authoritative and
            # the offset applies once, to the first page.
            query = dict(filters)
            query['marker'] = next_marker

    def count(self, filters=None, labels=None):
        """Return how many backups match ``filters`` (one request)."""
        filters = dict(filters or {})
        self.check_filters(list(filters) + ['with_count'], labels)
        query = dict(filters)
        query['with_count'] = 'true'
        query['limit'] = 1
        url, body = self._get(LIST_PATH, query)
        count = body.get('count')
        if isinstance(count, bool) or not isinstance(count, int):
            raise exceptions.BadResponse(
                'VBS API answered GET %s without an integer "count"' % url)
        return count


class _DiscoverySession:
    """The session for keystoneauth's Discover, with our retries and timeout.

    Discover only calls ``get``.
    """

    def __init__(self, session, request_kwargs):
        self._session = session
        self._request_kwargs = request_kwargs

    def get(self, url, **kwargs):
        kwargs.update(self._request_kwargs)
        kwargs.setdefault('logger', HTTP_LOG)
        return self._session.get(url, **kwargs)


def _backups_of(body, url):
    backups = body.get('backups')
    if not isinstance(backups, list):
        raise exceptions.BadResponse(
            'VBS API answered GET %s without a "backups" list' % url)
    for backup in backups:
        if type(backup) is not dict or not backup.get('id'):
            raise exceptions.BadResponse(
                'VBS API answered GET %s with a backup that is not an object '
                'with an "id"' % url)
        get = backup.get
        for field, allowed in FIELD_TYPES:
            if type(get(field)) not in allowed:
                raise exceptions.BadResponse(
                    'VBS API answered GET %s with backup %s whose "%s" is '
                    'not of type %s: %r' % (
                        url, backup['id'], field,
                        _TYPE_NAMES.get(allowed, 'string'), get(field)))
    return backups


def _next_marker(body, page):
    """The marker of the top-level rel=next link, or None at the end."""
    links = body.get('backups_links')
    if not isinstance(links, list):
        return None
    for link in links:
        if not isinstance(link, dict) or link.get('rel') != 'next':
            continue
        href = link.get('href')
        if not isinstance(href, str):
            return None
        query = parse.parse_qs(parse.urlsplit(href).query)
        markers = query.get('marker')
        if markers and markers[-1]:
            return markers[-1]
        # A next link without a marker: Cinder's paging is by last id.
        return page[-1]['id'] if page else None
    return None


_REQUEST_ID_HEADERS = ('x-openstack-request-id', 'x-compute-request-id',
                       'x-request-id')


def _http_error(method, url, resp):
    request_id = None
    for name in _REQUEST_ID_HEADERS:
        if resp.headers.get(name):
            request_id = resp.headers[name]
            break
    reason = resp.reason
    if not reason:
        try:
            reason = http.HTTPStatus(resp.status_code).phrase
        except ValueError:
            reason = ''
    return exceptions.HTTPError(method, url, resp.status_code, reason,
                                _error_detail(resp), request_id)


def _error_detail(resp):
    """The server's own message from a Cinder, Keystone or vendor body."""
    try:
        body = resp.json()
    except ValueError:
        return _body_text(resp) or None
    candidates = [body]
    if isinstance(body, dict):
        candidates.extend(v for v in body.values() if isinstance(v, dict))
    for item in candidates:
        if not isinstance(item, dict):
            continue
        for key in ('message', 'error_msg', 'faultstring', 'detail',
                    'description'):
            if isinstance(item.get(key), str) and item[key].strip():
                return item[key]
    return None


_TITLE = re.compile(r'<title[^>]*>(.*?)</title>', re.IGNORECASE | re.DOTALL)


def _body_hint(resp):
    text = _body_text(resp)
    return ' (%s)' % text if text else ''


def _body_text(resp):
    """A short one-line rendering of a body that is not JSON."""
    text = resp.text or ''
    match = _TITLE.search(text)
    if match:
        text = match.group(1)
    elif '<' in text:
        text = re.sub(r'<[^>]+>', ' ', text)
    text = ' '.join(text.split())
    if len(text) > 200:
        text = text[:200] + '...'
    return text
