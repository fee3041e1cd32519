"""tools/local-cloud stop takes back the clouds.yaml entries start wrote."""

import io
import os

import fixtures
import testtools
import yaml

from tests.harness import cloudsyaml
from tests.harness import localcloud

OURS = {'vbs-local': {'auth': {'username': 'm'}},
        'vbs-local-admin': {'auth': {'username': 'a'}}}
THEIRS = {'mycloud': {'auth': {'auth_url': 'https://k.example.test/v3'}}}


class LocalCloudTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path
        self.layout = localcloud.Layout(self.root)

    def write_yaml(self, data):
        with open(self.layout.clouds_yaml, 'w') as fh:
            fh.write(cloudsyaml.dump(data))

    def read_yaml(self):
        with open(self.layout.clouds_yaml) as fh:
            return yaml.safe_load(fh)


class TestRemoveFromFile(LocalCloudTest):

    def test_other_clouds_and_keys_are_kept(self):
        self.write_yaml({'clouds': dict(THEIRS, **OURS), 'cache': {'a': 1}})
        cloudsyaml.remove_from_file(self.layout.clouds_yaml, list(OURS),
                                    delete_if_empty=True)
        self.assertEqual({'clouds': THEIRS, 'cache': {'a': 1}},
                         self.read_yaml())

    def test_a_file_left_empty_goes_only_if_we_created_it(self):
        self.write_yaml({'clouds': OURS})
        cloudsyaml.remove_from_file(self.layout.clouds_yaml, list(OURS))
        self.assertEqual({'clouds': {}}, self.read_yaml())
        cloudsyaml.remove_from_file(self.layout.clouds_yaml, list(OURS),
                                    delete_if_empty=True)
        self.assertFalse(os.path.exists(self.layout.clouds_yaml))


class TestStop(LocalCloudTest):

    def stop(self, created):
        os.makedirs(self.layout.state_dir)
        self.layout.save_state({
            'version': 1, 'workdir': self.layout.workdir,
            'keystone_url': 'http://127.0.0.1:1', 'cinder_url': None,
            'cinder_db_path': None, 'cinder_log_path': None,
            'osapi_max_limit': 1000, 'servers': [],
            'clouds_yaml': {'path': self.layout.clouds_yaml,
                            'created': created, 'entries': list(OURS)}})
        out = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', out))
        self.assertEqual(0, localcloud.main(['stop'], root=self.root))
        self.assertEqual('local cloud stopped\n', out.getvalue())
        self.assertFalse(os.path.exists(self.layout.state_dir))

    def test_stop_removes_our_entries_and_keeps_the_users(self):
        self.write_yaml({'clouds': dict(THEIRS, **OURS)})
        self.stop(created=False)
        self.assertEqual({'clouds': THEIRS}, self.read_yaml())

    def test_stop_removes_the_file_start_created(self):
        self.write_yaml({'clouds': OURS})
        self.stop(created=True)
        self.assertFalse(os.path.exists(self.layout.clouds_yaml))

    def test_stop_keeps_what_the_user_added_since(self):
        self.write_yaml({'clouds': dict(THEIRS, **OURS)})
        self.stop(created=True)
        self.assertEqual({'clouds': THEIRS}, self.read_yaml())


class _Stopped(Exception):
    pass


class _FakeCloud(object):
    """Records how start made the cloud, then stops it at start()."""

    made = []

    def __init__(self, **kwargs):
        self.made.append(kwargs)

    def start(self):
        raise _Stopped()

    def stop(self):
        pass


class TestStartBackupService(LocalCloudTest):

    def start(self, installed):
        _FakeCloud.made = []
        out = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', out))
        self.useFixture(fixtures.MonkeyPatch(
            'tests.harness.localcloud.rabbit.installed', lambda: installed))
        self.useFixture(fixtures.MonkeyPatch(
            'tests.harness.localcloud.cloud.LocalCloud', _FakeCloud))
        self.assertRaises(_Stopped, localcloud.main, ['start'],
                          root=self.root)
        self.assertEqual(1, len(_FakeCloud.made))
        return out.getvalue().splitlines(), _FakeCloud.made[0]

    def test_without_rabbitmq_one_line_and_no_backup_service(self):
        lines, made = self.start(installed=False)
        self.assertFalse(made['backup_service'])
        said = [line for line in lines if 'rabbitmq-server' in line]
        self.assertEqual(['no backup service: rabbitmq-server is not '
                          'installed, so backups cannot be deleted (apt-get '
                          'install rabbitmq-server)'], said)
        self.assertNotIn('cinder-backup', lines[-1])

    def test_with_rabbitmq_the_backup_service_starts(self):
        lines, made = self.start(installed=True)
        self.assertTrue(made['backup_service'])
        self.assertFalse([line for line in lines if 'no backup' in line])
        self.assertIn('rabbitmq and cinder-backup', lines[-1])
