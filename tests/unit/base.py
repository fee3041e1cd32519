"""Unit-test set-up: a real keystoneauth session on requests-mock."""

import copy
import json
import logging
import os
import threading
import time
import types
from unittest import mock

import fixtures
from keystoneauth1 import fixture as ksa_fixture
from keystoneauth1.identity import v3
from keystoneauth1 import session as ksa_session
from keystoneauth1 import token_endpoint
from requests_mock.contrib import fixture as rm_fixture
import testtools

AUTH_URL = 'https://keystone.example.test/v3'
PROJECT_ID = 'b23b579f08c84228b9b4673c46f0c442'
TOKEN = 'secret-token-0123456789'
VBS_ROOT = 'https://vbs.example.test'
ENDPOINT = VBS_ROOT + '/v3/' + PROJECT_ID
LIST_URL = ENDPOINT + '/backups/detail'
VERSION_URL = VBS_ROOT + '/v3/'

_DATA = os.path.join(os.path.dirname(__file__), 'data')


def join_request_threads():
    # Every request thread of the library (pages, probes, prune chains),
    # so none left by a test (a Ctrl-C test leaves them by design)
    # reaches the next test's mock.
    for thread in threading.enumerate():
        if thread.name.startswith('vbs-'):
            while True:
                try:
                    thread.join(10)
                    break
                except RuntimeError:  # listed, not yet started
                    time.sleep(0.01)


def vendor_example():
    """The vendor page's example response, foreign links and all."""
    with open(os.path.join(_DATA, 'vendor_example.json')) as f:
        return json.load(f)


def version_document(min_version='3.0', max_version='3.71'):
    """A Cinder-style GET /v3/ answer."""
    return {'versions': [{
        'id': 'v3.0', 'status': 'CURRENT', 'min_version': min_version,
        'version': max_version, 'updated': '2023-08-31T00:00:00Z',
        'links': [{'rel': 'self', 'href': VBS_ROOT + '/v3/'}],
    }]}


def backup(n, **fields):
    """A minimal backup as a Cinder server writes it."""
    data = {
        'id': 'bk-%04d' % n, 'name': 'backup-%d' % n, 'status': 'available',
        'description': None, 'size': n, 'is_incremental': False,
        'created_at': '2026-01-01T00:00:%02d.000000' % (n % 60),
    }
    data.update(fields)
    return data


def page(backups, next_href=None, **extra):
    body = {'backups': copy.deepcopy(backups)}
    if next_href:
        body['backups_links'] = [{'rel': 'next', 'href': next_href}]
    body.update(extra)
    return body


class Clock:
    """A monotonic clock that only sleep() moves, by what it was asked."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def fake_deadline_clock(test, clock=None, sleep=None):
    """Requests' deadlines on ``clock`` (default: a new Clock; returned).

    ``sleep`` (default: the clock's) is called for each wait: nothing
    sleeps for real.
    """
    clock = clock or Clock()
    test.useFixture(fixtures.MonkeyPatch(
        'vbsclient.api.http.deadline.time', types.SimpleNamespace(
            monotonic=clock, sleep=sleep or clock.sleep)))
    return clock


class TestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        # Retry warnings and debug logs go to the test's details, shown only
        # when it fails.
        self.useFixture(fixtures.FakeLogger(level=logging.DEBUG))
        self.requests_mock = self.useFixture(rm_fixture.Fixture())
        # keystoneauth would sleep between its own retries (off for our
        # requests: a test may check it never does).  Only its own
        # reference to the time module is replaced: the global time.sleep
        # (page threads, the tests' own pauses) stays real.
        self.ksa_sleeps = mock.Mock()
        self.useFixture(fixtures.MonkeyPatch(
            'keystoneauth1.session.time',
            types.SimpleNamespace(**dict(vars(time), sleep=self.ksa_sleeps))))
        # Retries wait on a fake clock (self.clock.sleeps records them).
        self.clock = fake_deadline_clock(self)
        # Page requests a listing left in flight (read ahead, not needed)
        # must not reach the next test's mock.
        self.addCleanup(join_request_threads)

    def client(self, session=None, **kwargs):
        """A ``vbsclient.client.Client`` on ``session`` (default: a token)."""
        from vbsclient import client as client_mod
        return client_mod.Client(session or self.token_session(), **kwargs)

    def token_session(self, endpoint=ENDPOINT):
        """A session as OSC builds for --os-token/--os-endpoint."""
        return ksa_session.Session(
            auth=token_endpoint.Token(endpoint, TOKEN))

    def catalog_session(self, services):
        """A password session whose catalog has ``services`` (type, url)."""
        token = ksa_fixture.V3Token(project_id=PROJECT_ID)
        for service_type, url in services:
            service = token.add_service(service_type)
            service.add_standard_endpoints(
                public=url, internal=url.replace('https', 'http'),
                region='RegionOne')
        self.requests_mock.post(
            AUTH_URL + '/auth/tokens', json=token,
            headers={'X-Subject-Token': TOKEN})
        auth = v3.Password(
            auth_url=AUTH_URL, username='user', password='pw',
            user_domain_id='default', project_id=PROJECT_ID)
        return ksa_session.Session(auth=auth)

    def serve_versions(self, min_version='3.0', max_version='3.71'):
        return self.requests_mock.get(
            VERSION_URL, json=version_document(min_version, max_version))

    def list_requests(self):
        return [r for r in self.requests_mock.request_history
                if r.path.endswith('/backups/detail')]


def query_of(request):
    """The exact query of a recorded request (requests-mock lowercases qs)."""
    from urllib import parse
    return parse.parse_qs(parse.urlsplit(request.url).query,
                          keep_blank_values=True)
