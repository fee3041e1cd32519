"""A forwarding front before a harness server: HTTP(S) on 127.0.0.1.

Stdlib only.  Each request is forwarded as it came (method, path and
query, headers, body) to the backend over plain HTTP, and the backend's
answer (status, headers, body) goes back as it came; the front adds only
``X-Forwarded-Proto`` (so Keystone writes ``https`` links) and drops
hop-by-hop headers.  Bodies are read whole (no streaming, no chunked
requests)::

    from tests.harness import front
    f = front.Front(cloud.cinder_url,                  # the backend root
                    certfile=cert, keyfile=key,        # omit both for HTTP
                    client_ca=ca_pem, require_client_cert=False,
                    before=None).start()
    f.url                     # 'https://127.0.0.1:<port>', no trailing /
    f.before = hook           # hook(request) before each forward
    f.delay(r'/backups/detail$', 0.1)   # +100 ms on matching paths
    f.requests                # every Request seen, in order
    f.handshake_errors        # TLS handshakes that failed, as strings
    f.stop()

``Request`` has ``method``, ``path``, ``query`` (the raw string),
``params`` (dict of lists), ``headers`` (a dict), ``client_subject``
(``'CN=...'`` of a verified client certificate, else None) and ``status``
(the backend's, once answered).  ``before`` runs in the request's thread
before the delay and the forward; what it raises is answered as a 502 and
kept in ``f.hook_errors``.  A delay applies when its pattern matches the
path (``re.search``); with several, the first that matches.

``client_ca`` asks clients for a certificate signed by that CA (optional
unless ``require_client_cert``).
"""

import dataclasses
import http.client
import http.server
import re
import socketserver
import ssl
import sys
import threading
import time
from urllib import parse

# Meaningful for one connection only (RFC 9110, 7.6.1).
HOP_BY_HOP = frozenset((
    'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization',
    'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'))
HANDSHAKE_TIMEOUT = 10
BACKEND_TIMEOUT = 300


@dataclasses.dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict
    client_subject: str = None
    status: int = None

    @property
    def params(self):
        return parse.parse_qs(self.query, keep_blank_values=True)


def _subject(peer_cert):
    """'CN=x,O=y' from ssl's getpeercert() dict."""
    parts = []
    for rdn in (peer_cert or {}).get('subject', ()):
        for key, value in rdn:
            short = {'commonName': 'CN', 'organizationName': 'O',
                     'organizationalUnitName': 'OU',
                     'countryName': 'C'}.get(key, key)
            parts.append('%s=%s' % (short, value))
    return ','.join(parts) or None


class ThreadedServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """One daemon thread a connection; clients that hang up are no error."""

    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        # Clients that hang up (timeouts, refused certificates) are normal.
        if isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError,
                                          TimeoutError)):
            return
        super().handle_error(request, client_address)


class Front:
    def __init__(self, backend, certfile=None, keyfile=None, client_ca=None,
                 require_client_cert=False, before=None):
        parts = parse.urlsplit(backend)
        if parts.scheme != 'http' or parts.hostname not in ('127.0.0.1',
                                                            'localhost'):
            raise ValueError('the backend must be http on loopback, not %r'
                             % backend)
        self.backend = (parts.hostname, parts.port or 80)
        self.before = before
        self.requests = []
        self.handshake_errors = []
        self.hook_errors = []
        self._delays = []
        self._lock = threading.Lock()
        self._context = None
        if certfile:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(certfile, keyfile)
            if client_ca:
                context.load_verify_locations(client_ca)
                context.verify_mode = (ssl.CERT_REQUIRED
                                       if require_client_cert
                                       else ssl.CERT_OPTIONAL)
            self._context = context
        self._httpd = ThreadedServer(('127.0.0.1', 0), self._handler_class())
        self.port = self._httpd.server_address[1]
        self._thread = None

    @property
    def url(self):
        return '%s://127.0.0.1:%d' % ('https' if self._context else 'http',
                                      self.port)

    def delay(self, path_pattern, seconds):
        """Sleep ``seconds`` before forwarding requests whose path matches."""
        self._delays.append((re.compile(path_pattern), seconds))
        return self

    def start(self):
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={'poll_interval': 0.05},
            name='front-%d' % self.port, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop serving (idempotent)."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread = None
        self._httpd.server_close()

    def _handler_class(self):
        front = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):
                pass

            def setup(self):
                self.subject = None
                if front._context is not None:
                    # Handshake here, in the connection's own thread.
                    conn = front._context.wrap_socket(
                        self.request, server_side=True,
                        do_handshake_on_connect=False)
                    conn.settimeout(HANDSHAKE_TIMEOUT)
                    try:
                        conn.do_handshake()
                    except (ssl.SSLError, OSError) as e:
                        with front._lock:
                            front.handshake_errors.append(str(e))
                        conn.close()
                        raise
                    conn.settimeout(None)
                    self.request = conn
                    self.subject = _subject(conn.getpeercert())
                super().setup()

            def forward(self):
                target = parse.urlsplit(self.path)
                seen = Request(self.command, target.path, target.query,
                               dict(self.headers.items()), self.subject)
                with front._lock:
                    front.requests.append(seen)
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else None
                try:
                    if front.before is not None:
                        front.before(seen)
                except Exception as e:
                    with front._lock:
                        front.hook_errors.append(e)
                    return self.answer(502, 'Bad Gateway',
                                       [('Content-Type', 'text/plain')],
                                       ('front hook failed: %r' % e).encode())
                for pattern, seconds in front._delays:
                    if pattern.search(seen.path):
                        time.sleep(seconds)
                        break
                headers = [(k, v) for k, v in self.headers.items()
                           if k.lower() not in HOP_BY_HOP
                           and k.lower() != 'x-forwarded-proto']
                headers.append(('X-Forwarded-Proto',
                                'https' if front._context else 'http'))
                conn = http.client.HTTPConnection(*front.backend,
                                                  timeout=BACKEND_TIMEOUT)
                try:
                    conn.putrequest(self.command, self.path,
                                    skip_host=True, skip_accept_encoding=True)
                    for name, value in headers:
                        conn.putheader(name, value)
                    conn.endheaders(body)
                    resp = conn.getresponse()
                    data = resp.read()
                finally:
                    conn.close()
                seen.status = resp.status
                self.answer(resp.status, resp.reason,
                            [(k, v) for k, v in resp.getheaders()
                             if k.lower() not in HOP_BY_HOP
                             and (k.lower() != 'content-length'
                                  or self.command == 'HEAD')], data)

            def answer(self, status, reason, headers, data):
                self.send_response_only(status, reason)
                for name, value in headers:
                    self.send_header(name, value)
                if self.command != 'HEAD' and status not in (204, 304):
                    self.send_header('Content-Length', str(len(data)))
                else:
                    data = b''
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()

            do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = forward
            do_DELETE = do_OPTIONS = forward

        return Handler
