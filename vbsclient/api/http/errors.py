"""Failures as one-line library errors: an HTTP error answer
(``HTTPError``), keystoneauth's SSLError (``TLSFailed``), and the walk
over what an exception wraps that both retries and TLS messages need."""

import http
import re
import ssl
from urllib import parse

from vbsclient import exceptions

_REQUEST_ID_HEADERS = ('x-openstack-request-id', 'x-compute-request-id',
                       'x-request-id')
_TITLE = re.compile(r'<title[^>]*>(.*?)</title>', re.IGNORECASE | re.DOTALL)
_KSA_SSL_URL = re.compile(r'connecting to (\S+?):? ')
_SSL_SOURCE = re.compile(r'\s*\(_ssl\.c:\d+\)$')


def from_response(method, url, resp):
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
                                _detail(resp), request_id)


def _detail(resp):
    """The server's own message from a Cinder, Keystone or vendor body."""
    try:
        body = resp.json()
    except ValueError:
        return _text(resp) or None
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


def body_hint(resp):
    """' (<text>)' for a body that is not JSON, or ''."""
    text = _text(resp)
    return ' (%s)' % text if text else ''


def _text(resp):
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


def chain(exc):
    """``exc`` and what it wraps: causes, contexts, arguments, reasons.

    keystoneauth wraps requests' errors, which wrap urllib3's, which wrap
    the socket's or the ssl module's.
    """
    todo, seen = [exc], set()
    while todo:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        todo.extend((item.__cause__, item.__context__,
                     getattr(item, 'reason', None)) + tuple(item.args))


def _ssl_error_in(exc):
    """The ssl module's error inside keystoneauth, requests and urllib3's."""
    return next((item for item in chain(exc)
                 if isinstance(item, ssl.SSLError)), None)


def _failed_url(exc):
    """The URL without its query: requests' own record, else the message."""
    url = None
    for item in (exc.__context__, exc.__cause__):
        url = getattr(getattr(item, 'request', None), 'url', None) or url
    if not url:
        match = _KSA_SSL_URL.search(str(exc))
        url = match.group(1) if match else None
    if not url:
        return 'the VBS API'
    parts = parse.urlsplit(url)
    return parse.urlunsplit(parts[:3] + ('', ''))


def tls_failure(exc):
    """A one-line TLSFailed for keystoneauth's SSLError ``exc``."""
    url = _failed_url(exc)
    cause = _ssl_error_in(exc)
    if isinstance(cause, ssl.SSLCertVerificationError):
        why = getattr(cause, 'verify_message', None) or cause.reason
        return exceptions.TLSFailed(
            'the TLS certificate of {url} could not be verified ({why}); '
            'give the CA certificate that signed it with {verify}',
            {'url': url, 'why': why, 'verify': 'verify'}, terms=('verify',))
    why = _SSL_SOURCE.sub('', str(cause or exc.__context__ or exc))
    return exceptions.TLSFailed('TLS connection to %s failed: %s'
                                % (url, why))
