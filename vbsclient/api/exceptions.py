"""Errors of the VBS API layer; each prints as one line."""

import re
import ssl
from urllib import parse


def _one_line(text):
    return ' '.join(str(text).split())


class VBSError(Exception):
    """Base class: a failure the user should read as one line."""

    def __init__(self, message):
        super().__init__(_one_line(message))


class EndpointNotFound(VBSError):
    """Neither the catalog nor the override gives a VBS endpoint."""


class VersionNotSupported(VBSError):
    """The requested microversion is outside what the server offers."""


class FilterNeedsMicroversion(VBSError):
    """A filter the microversion in use cannot carry."""

    def __init__(self, key, required, in_use, label=None):
        self.key = key
        self.required = required
        self.in_use = in_use
        super().__init__(
            '%s needs --os-vbs-backup-api-version %s or later; the version '
            'in use is %s' % (label or key, required, in_use))


class HTTPError(VBSError):
    """The server answered a request with an error status."""

    def __init__(self, method, url, status, reason, detail, request_id):
        self.method = method
        self.url = url
        self.status = status
        self.detail = detail
        self.request_id = request_id
        text = ' '.join(('VBS API answered %s %s to %s %s'
                         % (status, reason or '', method, url)).split())
        if detail:
            text += ': %s' % detail
        if request_id:
            text += ' (request-id: %s)' % request_id
        super().__init__(text)


class ConnectionFailed(VBSError):
    """The request did not get an HTTP answer at all."""


class BadResponse(VBSError):
    """The server's answer is not what the API documents."""


class PaginationError(VBSError):
    """The server's next links would repeat or never end."""


class TLSFailed(ConnectionFailed):
    """The TLS handshake failed, most often on an unverifiable certificate."""


class RetryAfterTooLong(VBSError):
    """The server asked to wait longer than the request timeout."""


_KSA_SSL_URL = re.compile(r'connecting to (\S+?):? ')
_SSL_SOURCE = re.compile(r'\s*\(_ssl\.c:\d+\)$')


def _ssl_error_in(exc):
    """The ssl module's error inside keystoneauth, requests and urllib3's."""
    todo, seen = [exc], set()
    while todo:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, ssl.SSLError):
            return item
        todo.extend((item.__cause__, item.__context__,
                     getattr(item, 'reason', None)) + tuple(item.args))
    return None


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
        return TLSFailed(
            'the TLS certificate of %s could not be verified (%s); give the '
            'CA certificate that signed it with --os-cacert <file>, '
            'OS_CACERT or "cacert" in clouds.yaml' % (url, why))
    why = _SSL_SOURCE.sub('', str(cause or exc.__context__ or exc))
    return TLSFailed('TLS connection to %s failed: %s' % (url, why))
