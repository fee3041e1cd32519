"""Turns keystoneauth's SSLError into a one-line TLSFailed."""

import re
import ssl
from urllib import parse

from vbsclient.api.http import causes
from vbsclient import exceptions

_KSA_SSL_URL = re.compile(r'connecting to (\S+?):? ')
_SSL_SOURCE = re.compile(r'\s*\(_ssl\.c:\d+\)$')


def _ssl_error_in(exc):
    """The ssl module's error inside keystoneauth, requests and urllib3's."""
    return next((item for item in causes.chain(exc)
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
            'give the CA certificate that signed it with {cacert}',
            {'url': url, 'why': why, 'cacert': 'cacert'}, terms=('cacert',))
    why = _SSL_SOURCE.sub('', str(cause or exc.__context__ or exc))
    return exceptions.TLSFailed('TLS connection to %s failed: %s'
                                % (url, why))
