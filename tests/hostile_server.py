"""A scripted, misbehaving Cinder-like HTTP server on loopback.

``FakeBackups`` answers ``GET /v3/`` and ``GET /v3/<project>/backups/detail``
like Cinder (filters, sort, marker, offset, limit, ``backups_links``) over a
list of backups held in memory; its hooks let a test corrupt any part of
that.
``Trap`` is a listener that only counts who connects to it.
"""

import http.server
import json
import socket
import threading
import time
from urllib import parse

from tests.harness import front
from tests.unit import sorted_cinder

PROJECT_ID = '0c5a6f3b2d8e4f1a9b7c6d5e4f3a2b1c'


class Reply:
    """What to answer: status, headers and body, or an action instead."""

    def __init__(self, status=200, json_body=None, body=None, headers=None,
                 action=None, seconds=0):
        self.status = status
        self.headers = dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body).encode()
            self.headers.setdefault('Content-Type', 'application/json')
        self.body = body if body is not None else b''
        # None, 'close' (drop the connection), 'truncate' (announce more
        # than is sent), 'hang' (wait ``seconds`` first)
        self.action = action
        self.seconds = seconds


class Server:
    """An HTTP server whose every answer comes from ``respond(request)``.

    ``port`` 0 picks a free one; a given one starts a server again where
    a stopped one listened.
    """

    def __init__(self, respond, host='127.0.0.1', port=0):
        self.respond = respond
        self.requests = []
        self._stop = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = parse.urlsplit(self.path)
                request = {
                    'method': 'GET', 'path': parts.path,
                    'query': parse.parse_qs(parts.query,
                                            keep_blank_values=True),
                    'raw_query': parts.query,
                    'headers': dict(self.headers.items()),
                }
                outer.requests.append(request)
                reply = outer.respond(request)
                if reply.action == 'hang':
                    outer._stop.wait(reply.seconds)
                if reply.action == 'close':
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(reply.status)
                length = len(reply.body)
                if reply.action == 'truncate':
                    length += 100
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header('Content-Length', str(length))
                if reply.action == 'truncate':
                    self.send_header('Connection', 'close')
                    self.close_connection = True
                self.end_headers()
                self.wfile.write(reply.body)
                self.wfile.flush()

        self._httpd = front.ThreadedServer((host, port), Handler)
        self.host, self.port = self._httpd.server_address[:2]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={'poll_interval': 0.05}, daemon=True)

    @property
    def url(self):
        return 'http://%s:%d' % (self.host, self.port)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()


class Trap:
    """A listener that counts the connections made to it, and answers none."""

    def __init__(self, host='127.0.0.2'):
        self.connections = 0
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, 0))
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self.host, self.port = self._sock.getsockname()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _addr = self._sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            conn.close()

    def stop(self):
        self._stop.set()
        self._thread.join(2)
        self._sock.close()


def backup(n):
    return {
        'id': '%08d-0000-4000-8000-000000000000' % n,
        'name': 'backup-%d' % n, 'description': None,
        'status': ('available', 'error', 'creating')[n % 3],
        'size': n % 7 + 1, 'is_incremental': bool(n % 2),
        'created_at': '2026-01-01T00:00:00.%06d' % n,
        'volume_id': 'vol-%d' % (n % 4),
    }


class FakeBackups:
    """Cinder's listing semantics over ``backups``, with hooks to break it.

    :param page_size: Cinder's osapi_max_limit.
    :param next_href: f(request, next_query) -> href written in the next
        link; default: the request's own URL with the marker set (Cinder).
    :param quirk: f(request, body) -> Reply or None, applied last.
    :param null_marker: with ``sort``, how a marker whose key is null
        compares (tests/unit/sorted_cinder.py): '1900' (Cinder 29) or
        'sql' (older Cinder).  Without ``sort`` the order is the list's
        and a marker is a position in it.
    """

    def __init__(self, backups, page_size=1000, next_href=None, quirk=None,
                 max_version='3.71', null_marker='1900'):
        self.backups = backups
        self.null_marker = null_marker
        self.page_size = page_size
        self.next_href = next_href
        self.quirk = quirk
        self.max_version = max_version
        self.server = None

    def __call__(self, request):
        if request['path'] in ('/v3', '/v3/'):
            return Reply(json_body={'versions': [{
                'id': 'v3.0', 'status': 'CURRENT', 'min_version': '3.0',
                'version': self.max_version,
                'links': [{'rel': 'self',
                           'href': 'http://127.0.0.2:9/v3/'}]}]})
        if request['path'] != '/v3/%s/backups/detail' % PROJECT_ID:
            return Reply(404, json_body={'itemNotFound': {
                'code': 404, 'message': 'no route'}})
        body = self.listing(request['query'])
        if self.quirk:
            reply = self.quirk(request, body)
            if reply is not None:
                return reply
        return Reply(json_body=body)

    def matching(self, query):
        def one(key):
            return query[key][-1] if key in query else None
        rows = self.backups
        for key in ('name', 'status', 'volume_id'):
            if one(key) is not None:
                rows = [b for b in rows if b.get(key) == one(key)]
            if one(key + '~') is not None:
                rows = [b for b in rows
                        if one(key + '~').lower() in str(b.get(key)).lower()]
        return rows

    def listing(self, query):
        rows = self.matching(query)
        marker = query.get('marker', [None])[-1]
        sort = query.get('sort', [None])[-1]
        if sort:
            keys = sorted_cinder.sort_spec({'sort': sort})
            rows = sorted_cinder.ordered(rows, keys)
            found = [b for b in self.backups if b['id'] == marker]
            if found:
                rows = sorted_cinder.after_marker(rows, keys, found[0],
                                                  self.null_marker)
            elif marker:
                rows = []
        elif marker:
            ids = [b['id'] for b in rows]
            rows = rows[ids.index(marker) + 1:] if marker in ids else []
        offset = int(query.get('offset', ['0'])[-1])
        rows = rows[offset:]
        limit = min(int(query.get('limit', [self.page_size])[-1]),
                    self.page_size)
        page = rows[:limit]
        body = {'backups': page}
        if 'with_count' in query:
            body['count'] = len(self.matching(query))
        if page and len(page) == limit:
            next_query = dict((k, v[-1]) for k, v in query.items())
            next_query['marker'] = page[-1]['id']
            if self.next_href:
                href = self.next_href(query, next_query)
            else:
                href = '%s/v3/%s/backups/detail?%s' % (
                    self.server.url if self.server else '', PROJECT_ID,
                    parse.urlencode(next_query))
            body['backups_links'] = [{'rel': 'next', 'href': href}]
        return body


def wait_until(predicate, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
