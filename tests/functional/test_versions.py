"""Microversion negotiation and gates against the real Cinder (3.0-3.71)."""

from tests.functional import base


class TestVersions(base.FunctionalTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud.clear_backups()
        cls.rows = cls.cloud.seed_backups(30)

    def refused(self, version, *args):
        since = self.cloud.cinder_log_offset()
        rc, out, err = self.openstack('--os-vbs-backup-api-version', version,
                                      *args)
        self.assertEqual(1, rc, err)
        self.assertEqual('', out)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertNotIn('Traceback', err)
        return err.strip(), self.cloud.cinder_requests(since)

    def test_below_fuzzy_gate_nothing_reaches_the_server(self):
        for option in ('--name-like', '--status-like', '--volume-like'):
            err, requests = self.refused('3.30', 'vbs', 'backup', 'list',
                                         option, 'a')
            self.assertEqual('%s needs --os-vbs-backup-api-version 3.31 or '
                             'later; the version in use is 3.30' % option,
                             err)
            self.assertEqual([], requests)

    def test_below_count_gate_nothing_reaches_the_server(self):
        err, requests = self.refused('3.44', 'vbs', 'backup', 'count')
        self.assertIn('needs --os-vbs-backup-api-version 3.45 or later; the '
                      'version in use is 3.44', err)
        self.assertEqual([], requests)

    def test_above_server_range(self):
        for version in ('3.72', '3.99'):
            err, requests = self.refused(version, 'vbs', 'backup', 'list')
            self.assertEqual('VBS backup API version %s is not supported by '
                             'the server (it supports 3.0 to 3.71)' % version,
                             err)
            # Only the version document was read; no listing.
            self.assertEqual(['/v3/'], [r['path'] for r in requests])

    def test_malformed_version(self):
        since = self.cloud.cinder_log_offset()
        rc, out, err = self.openstack('--os-vbs-backup-api-version', '3.x',
                                      'vbs', 'backup', 'list')
        self.assertEqual(1, rc)
        self.assertEqual("invalid --os-vbs-backup-api-version '3.x' (from "
                         "--os-vbs-backup-api-version): use 3, 3.N or "
                         "latest\n", err)
        self.assertEqual([], self.cloud.cinder_requests(since))

    def test_malformed_settings_stop_only_the_vbs_commands(self):
        for env, where in (
                ({'OS_VBS_BACKUP_API_VERSION': 'abc'},
                 "invalid --os-vbs-backup-api-version 'abc' (from "
                 "OS_VBS_BACKUP_API_VERSION)"),
                ({'OS_VBS_TIMEOUT_SECONDS': 'soon'},
                 "invalid --os-vbs-timeout 'soon' (from "
                 "OS_VBS_TIMEOUT_SECONDS)"),
                ({'OS_VBS_PAGE_CONCURRENCY': '0'},
                 "invalid --os-vbs-page-concurrency '0' (from "
                 "OS_VBS_PAGE_CONCURRENCY)")):
            # Other commands, authentication included, are untouched.
            out = self.openstack_ok('token', 'issue', '-f', 'value', '-c',
                                    'project_id', env=env)
            self.assertEqual(self.cloud.member.project_id, out.strip())
            self.openstack_ok('help', env=env)
            rc, out, err = self.openstack('vbs', 'backup', 'list', env=env)
            self.assertEqual(1, rc)
            self.assertEqual(1, len(err.splitlines()), err)
            self.assertIn(where, err)
        rc, out, err = self.openstack('--os-vbs-timeout', 'abc', 'token',
                                      'issue', '-f', 'value', '-c', 'id')
        self.assertEqual(0, rc, err)

    def test_gate_boundaries_filter_for_real(self):
        out = self.openstack_ok('--os-vbs-backup-api-version', '3.31', 'vbs',
                                'backup', 'list', '--name-like', 'weekly',
                                '-f', 'value', '-c', 'ID')
        self.assertEqual(self.server_ids(query={'name~': 'weekly'},
                                         microversion='3.31'), out.split())
        self.assertLess(len(out.split()), len(self.rows))
        out = self.openstack_ok('--os-vbs-backup-api-version', '3.45', 'vbs',
                                'backup', 'count', '-f', 'value')
        self.assertEqual('30\n', out)

    def test_negotiated_by_default_and_from_environment(self):
        rc, out, err = self.openstack('--debug', 'vbs', 'backup', 'list',
                                      '--limit', '1')
        self.assertEqual(0, rc, err)
        self.assertIn('negotiated microversion 3.64 (server 3.0 to 3.71, '
                      'client max 3.64)', err)
        self.assertIn('OpenStack-API-Version: volume 3.64', err)
        rc, out, err = self.openstack(
            '--debug', 'vbs', 'backup', 'list', '--limit', '1',
            env={'OS_VBS_BACKUP_API_VERSION': '3.50'})
        self.assertEqual(0, rc, err)
        self.assertIn('OpenStack-API-Version: volume 3.50', err)
        rc, out, err = self.openstack(
            '--os-vbs-backup-api-version', 'latest', '--debug', 'vbs',
            'backup', 'list', '--limit', '1')
        self.assertEqual(0, rc, err)
        self.assertIn('OpenStack-API-Version: volume 3.64', err)

    def test_above_client_maximum_is_sent_and_changes_nothing(self):
        # 3.65 to 3.71 change volumes, snapshots and URLs, not backups.
        def listing(version):
            return self.openstack_ok(
                '--os-vbs-backup-api-version', version, 'vbs', 'backup',
                'list', '--long', '-f', 'json', in_process=True,
                compare_sequential=False)
        expected = listing('3.64')
        for version in ('3.65', '3.71'):
            self.assertEqual(expected, listing(version), version)
            rc, out, err = self.openstack(
                '--os-vbs-backup-api-version', version, '--debug', 'vbs',
                'backup', 'show', self.rows[0]['id'], in_process=True)
            self.assertEqual(0, rc, err)
            self.assertIn('OpenStack-API-Version: volume %s' % version, err)
