"""The harness's forwarding front, before a small echoing backend."""

import http.server
import json
import ssl
import tempfile
import threading
import time
import urllib.request

import testtools

from tests.harness import front
from tests.harness import tlscerts
from tests import hostile_server as hs


class _Echo(http.server.BaseHTTPRequestHandler):
    """Answers every request with what it received, as JSON."""

    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def echo(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = json.dumps({
            'method': self.command, 'target': self.path,
            'headers': dict(self.headers.items()),
            'body': self.rfile.read(length).decode(),
        }).encode()
        self.send_response(201 if self.command == 'POST' else 200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('X-Backend', 'echo')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = echo


class FrontTest(testtools.TestCase):

    certs = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.certs = tlscerts.make(tempfile.mkdtemp(prefix='vbs-front-'))

    def setUp(self):
        super().setUp()
        backend = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Echo)
        threading.Thread(target=backend.serve_forever, daemon=True,
                         kwargs={'poll_interval': 0.05}).start()
        self.addCleanup(backend.server_close)
        self.addCleanup(backend.shutdown)
        self.backend_url = 'http://127.0.0.1:%d' % backend.server_address[1]

    def start(self, **kwargs):
        item = front.Front(self.backend_url, **kwargs).start()
        self.addCleanup(item.stop)
        return item

    def call(self, url, method='GET', body=None, headers=None, context=None):
        req = urllib.request.Request(url, data=body, method=method,
                                     headers=headers or {})
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPSHandler(context=context))
        try:
            resp = opener.open(req, timeout=10)
        except urllib.request.HTTPError as e:
            resp = e
        with resp:
            return resp.status, resp.headers, resp.read()

    def test_forwards_unchanged_and_records(self):
        item = self.start()
        status, headers, data = self.call(
            item.url + '/v3/p/backups?name=a%20b&limit=2', 'POST',
            b'{"x": 1}', {'X-Auth-Token': 'tok', 'Content-Type': 'text/x'})
        self.assertEqual(201, status)
        self.assertEqual('echo', headers['X-Backend'])
        seen = json.loads(data)
        self.assertEqual('POST', seen['method'])
        self.assertEqual('/v3/p/backups?name=a%20b&limit=2', seen['target'])
        self.assertEqual('{"x": 1}', seen['body'])
        self.assertEqual('tok', seen['headers']['X-Auth-Token'])
        self.assertEqual('text/x', seen['headers']['Content-Type'])
        self.assertEqual('http', seen['headers']['X-Forwarded-Proto'])
        [request] = item.requests
        self.assertEqual(('POST', '/v3/p/backups', 'name=a%20b&limit=2',
                          {'name': ['a b'], 'limit': ['2']}, None, 201),
                         (request.method, request.path, request.query,
                          request.params, request.client_subject,
                          request.status))

    def test_hook_runs_before_forwarding(self):
        order = []
        item = self.start(before=lambda r: order.append(('hook', r.path,
                                                         r.status)))
        self.call(item.url + '/one')
        order.append(('answered',))
        self.assertEqual([('hook', '/one', None), ('answered',)], order)

    def test_hook_failure_is_a_502(self):
        def broken(request):
            raise RuntimeError('no such row')
        item = self.start(before=broken)
        status, _headers, data = self.call(item.url + '/x')
        self.assertEqual(502, status)
        self.assertIn(b'no such row', data)
        self.assertEqual(['no such row'], [str(e) for e in item.hook_errors])

    def test_delay_only_on_matching_paths(self):
        # A delay far above what a loaded 2-core machine adds to a local
        # request, so only the delay can tell the two apart.
        item = self.start().delay(r'/backups/detail$', 3.0)
        t0 = time.monotonic()
        self.call(item.url + '/v3/p/backups/detail?limit=1')
        delayed = time.monotonic() - t0
        t0 = time.monotonic()
        self.call(item.url + '/v3/')
        plain = time.monotonic() - t0
        self.assertGreaterEqual(delayed, 3.0)
        self.assertLess(plain, 2.0)

    def test_https_with_client_certificate(self):
        item = self.start(certfile=self.certs.server[0],
                          keyfile=self.certs.server[1],
                          client_ca=self.certs.ca)
        self.assertTrue(item.url.startswith('https://127.0.0.1:'))
        context = ssl.create_default_context(cafile=self.certs.ca)
        context.load_cert_chain(*self.certs.client)
        status, _headers, data = self.call(item.url + '/v3/',
                                           context=context)
        self.assertEqual(200, status)
        self.assertEqual('https',
                         json.loads(data)['headers']['X-Forwarded-Proto'])
        anonymous = ssl.create_default_context(cafile=self.certs.ca)
        self.call(item.url + '/v3/', context=anonymous)
        self.assertEqual([tlscerts.CLIENT_SUBJECT, None],
                         [r.client_subject for r in item.requests])

    def test_untrusted_certificate_is_refused_by_the_client(self):
        item = self.start(certfile=self.certs.untrusted_server[0],
                          keyfile=self.certs.untrusted_server[1])
        context = ssl.create_default_context(cafile=self.certs.ca)
        e = self.assertRaises(urllib.request.URLError, self.call,
                              item.url + '/v3/', context=context)
        self.assertIsInstance(e.reason, ssl.SSLCertVerificationError)
        self.assertEqual([], item.requests)
        self.assertTrue(hs.wait_until(lambda: item.handshake_errors))
