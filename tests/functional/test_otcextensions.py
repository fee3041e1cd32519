"""python-vbsclient and otcextensions installed in one environment."""

import json

from tests.functional import base


class TestBesideOtcextensions(base.FunctionalTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        import otcextensions  # noqa: F401 (the tox env installs it)
        cls.cloud.clear_backups()
        cls.rows = cls.cloud.seed_backups(5)

    def test_both_command_sets_are_there(self):
        out = self.openstack_ok('command', 'list', '-f', 'json')
        commands = {c for group in json.loads(out)
                    for c in group['Commands']}
        for command in ('vbs backup list', 'vbs backup count',
                        'vbs policy list'):
            self.assertIn(command, commands)
        self.openstack_ok('vbs', 'policy', 'list', '--help')

    def test_version_settings_stay_apart(self):
        rc, out, err = self.openstack(
            '--os_vbs_api_version', '2', '--os-vbs-backup-api-version',
            '3.40', '--debug', 'vbs', 'backup', 'list', '-f', 'value', '-c',
            'ID')
        self.assertEqual(0, rc, err)
        self.assertEqual([r['id'] for r in reversed(self.rows)], out.split())
        self.assertIn('volume_backup API version 2, cmd group '
                      'openstack.volume_backup.v2', err)
        self.assertIn('VBS backup API version: 3.40', err)
        self.assertIn('OpenStack-API-Version: volume 3.40', err)
        rc, out, err = self.openstack(
            '--debug', 'vbs', 'backup', 'count', '-f', 'value',
            env={'OS_VBS_API_VERSION': '2',
                 'OS_VBS_BACKUP_API_VERSION': '3.45'})
        self.assertEqual(0, rc, err)
        self.assertEqual('5\n', out)
        self.assertIn('volume_backup API version 2,', err)
        self.assertIn('OpenStack-API-Version: volume 3.45', err)
