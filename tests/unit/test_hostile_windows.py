"""Age windows through the ``openstack`` shell against the misbehaving
server (tests/hostile_server.py): Cinder's marker SQL with null keys, a
server that skips rows after a marker, and a 404 on a request without a
marker."""

from tests import hostile_server as hs
from tests.unit import test_hostile

SORT = ['--sort', 'data_timestamp:asc']


def backup(n, nulls):
    """hs.backup(n), its data_timestamp null for the first ``nulls``."""
    row = hs.backup(n)
    row['data_timestamp'] = (None if n <= nulls
                             else '2026-02-01T00:00:%02d.000000' % n)
    return row


class TestWindowsOnHostileServer(test_hostile.HostileTest):

    page_size = 20

    def setUp(self):
        super().setUp()
        self.fake.backups = [backup(n, 8) for n in range(1, 31)]

    def list_window(self, *args):
        return self.run_shell(*(self.auth() + [
            'vbs', 'backup', 'list', '-f', 'value', '-c', 'ID']
            + SORT + list(args)))

    def test_window_after_null_rows_on_either_cinder(self):
        # The row before the window has a null data_timestamp; a read
        # after it would come back empty from older Cinder.
        want = [b['id'] for b in self.fake.backups[8:]]
        for null_marker in ('1900', 'sql'):
            self.fake.null_marker = null_marker
            self.server.requests.clear()
            rc, out, err = self.list_window(
                '--data-timestamp-after', '2026-01-15')
            self.assertEqual(0, rc, err)
            self.assertEqual(want, out.split(), null_marker)
            markers = {r['query'].get('marker', [None])[-1]
                       for r in self.list_requests()}
            nulls = {b['id'] for b in self.fake.backups[:8]}
            self.assertEqual(set(), markers & nulls, null_marker)

    def test_server_skipping_the_window_start_is_one_line(self):
        def skip_first(request, body):
            if 'marker' in request['query']:
                body['backups'] = body['backups'][1:]
        self.fake.quirk = skip_first
        rc, out, err = self.list_window(
            '--data-timestamp-after', '2026-02-01T00:00:20')
        self.assertOneLineError(
            rc, out, err, 'VBS API skipped backup %s, the first of the '
            'window data_timestamp in [2026-02-01T00:00:20Z, -)'
            % self.fake.backups[19]['id'],
            'after backup %s' % self.fake.backups[18]['id'])

    def test_404_without_marker_is_the_endpoints(self):
        # Probes answer; the page request, sent without a marker (the
        # window starts at the first row), gets the endpoint's 404.
        def pages_404(request, body):
            if request['query'].get('limit') != ['1']:
                return hs.Reply(404, json_body={'itemNotFound': {
                    'code': 404, 'message': 'The resource could not be '
                    'found.'}})
        self.fake.backups = [backup(n, 0) for n in range(1, 31)]
        self.fake.quirk = pages_404
        rc, out, err = self.list_window(
            '--data-timestamp-before', '2026-02-01T00:00:10')
        self.assertOneLineError(
            rc, out, err, 'VBS API answered 404 Not Found to GET '
            '%s/backups/detail: The resource could not be found.'
            % self.endpoint)
        self.assertNotIn('marker', err)
