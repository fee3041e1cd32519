"""A page's 401 for a token another page thread already renewed is resent."""

from keystoneauth1 import fixture as ksa_fixture

from vbsclient import exceptions

from tests.unit import base


class TestAfterRenewal(base.TestCase):

    def setUp(self):
        super().setUp()
        self.session = self.catalog_session([('vbs', base.ENDPOINT)])
        token = ksa_fixture.V3Token(project_id=base.PROJECT_ID)
        token.add_service('vbs').add_standard_endpoints(
            public=base.ENDPOINT, region='RegionOne')
        # The first token, then the renewed one.
        self.requests_mock.post(base.AUTH_URL + '/auth/tokens', [
            {'json': token, 'headers': {'X-Subject-Token': 'first'}},
            {'json': token, 'headers': {'X-Subject-Token': 'renewed'}}])
        self.serve_versions()
        self.api = self.client(self.session, page_concurrency=1).backups

    def sent_tokens(self):
        return [r.headers['X-Auth-Token'] for r in self.list_requests()]

    def test_401_after_another_thread_dropped_the_token(self):
        def revoked(request, context):
            # Another page thread got its 401 first and dropped the token:
            # keystoneauth here finds nothing to drop and gives up.
            self.session.auth.invalidate()
            context.status_code = 401
            return {'error': {'code': 401, 'message': 'revoked'}}
        self.requests_mock.get(base.LIST_URL, [
            {'json': revoked}, {'json': base.page([base.backup(1)])}])
        self.assertEqual(['bk-0001'], [b.id for b in self.api.list()])
        self.assertEqual(['first', 'renewed'], self.sent_tokens())

    def test_401_with_the_current_token_stays(self):
        self.requests_mock.get(base.LIST_URL, status_code=401, json={
            'error': {'code': 401, 'message': 'no'}})
        e = self.assertRaises(exceptions.HTTPError, list, self.api.list())
        self.assertEqual(401, e.status)
        # Renewed once and sent again, nothing more.
        self.assertEqual(['first', 'renewed'], self.sent_tokens())

    def test_the_resend_waits_only_the_time_left(self):
        def slow_401(request, context):
            self.clock.now += 45  # the deadline's fake clock
            context.status_code = 401
            return {'error': {'code': 401, 'message': 'expired'}}
        self.requests_mock.get(base.LIST_URL, [
            {'json': slow_401}, {'json': base.page([base.backup(1)])}])
        self.assertEqual(['bk-0001'], [b.id for b in self.api.list()])
        self.assertEqual(['first', 'renewed'], self.sent_tokens())
        self.assertEqual([60, 15],
                         [r.timeout for r in self.list_requests()])

    def test_fixed_token_keeps_its_401(self):
        self.requests_mock.get(base.LIST_URL, status_code=401, json={
            'error': {'code': 401, 'message': 'no'}})
        api = self.client(page_concurrency=1).backups
        e = self.assertRaises(exceptions.HTTPError, list, api.list())
        self.assertEqual(401, e.status)
        self.assertEqual(1, len(self.list_requests()))
