"""A forwarding front that delays matching requests: a distant region.

Stands in for ``tests/harness/front.py`` (a front with a per-path delay)
until that is on main.  Plain HTTP on 127.0.0.1, keep-alive on both sides,
one thread per client connection, so concurrent requests wait their delay
side by side as they would over a long link.
"""

import http.client
import http.server
import threading
import time
import urllib.parse

# Hop-by-hop headers, and the length, which is set again.
_NOT_FORWARDED = {'connection', 'keep-alive', 'proxy-connection', 'te',
                  'trailer', 'transfer-encoding', 'upgrade', 'content-length'}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def setup(self):
        super().setup()
        self.upstream = None

    def finish(self):
        super().finish()
        if self.upstream is not None:
            self.upstream.close()

    def _exchange(self, body):
        front = self.server.front
        if self.upstream is None:
            self.upstream = http.client.HTTPConnection(front.host,
                                                       front.port)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in _NOT_FORWARDED}
        self.upstream.request(self.command, self.path, body, headers)
        response = self.upstream.getresponse()
        return response, response.read()

    def _forward(self):
        front = self.server.front
        if front.delays(self.path):
            time.sleep(front.delay)
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else None
        try:
            response, data = self._exchange(body)
        except (http.client.HTTPException, ConnectionError):
            # The server closed an idle kept-alive connection: reconnect.
            self.upstream.close()
            self.upstream = None
            response, data = self._exchange(body)
        self.send_response_only(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in _NOT_FORWARDED:
                self.send_header(key, value)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

    def log_message(self, format, *args):
        pass


class DelayFront(object):
    """Forwards to ``upstream``, after ``delay`` s for matching paths.

    ``delays(path)`` decides which requests wait (path with its query).
    """

    def __init__(self, upstream, delay, delays):
        parsed = urllib.parse.urlsplit(upstream)
        self.host, self.port = parsed.hostname, parsed.port
        self.delay = delay
        self.delays = delays
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                      _Handler)
        self.server.daemon_threads = True
        self.server.front = self
        self.url = 'http://127.0.0.1:%d' % self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
