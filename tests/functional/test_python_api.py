"""The Python API on the real Keystone and Cinder, and the examples of
doc/source/python-api.rst run as written."""

import contextlib
import io
import os
import re
import tempfile
import warnings

import fixtures

from vbsclient import client as client_mod
from vbsclient import exceptions

from tests.functional import base

DOC = os.path.join(os.path.dirname(__file__), '..', '..', 'doc', 'source',
                   'python-api.rst')
_BLOCK = re.compile(r'^\.\. code-block:: python\n\n((?:    .*\n|\n)+)',
                    re.MULTILINE)


def doc_examples():
    """The python code blocks of the page, dedented, in order."""
    with open(DOC) as f:
        text = f.read()
    blocks = []
    for match in _BLOCK.finditer(text):
        lines = [line[4:] for line in match.group(1).splitlines()]
        blocks.append('\n'.join(lines).strip() + '\n')
    return blocks


class PythonAPITest(base.FunctionalTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cloud = cls.cloud
        (cls.volume_id,) = cloud.seed_volumes(['docs-volume'])
        cls.rows = cloud.seed_backups(
            5, name=lambda i, row: 'docs-nightly-%d' % i,
            volume_id=cls.volume_id, status='available')
        cls.foreign = cloud.seed_backups(
            2, project_id=cloud.admin.project_id,
            name=lambda i, row: 'docs-admin-%d' % i)
        cls.clouds_dir = tempfile.mkdtemp(prefix='vbs-python-api-')
        cls.clouds_yaml = os.path.join(cls.clouds_dir, 'clouds.yaml')
        cloud.write_clouds_yaml(cls.clouds_yaml, prefix='mycloud')

    def setUp(self):
        super().setUp()
        for key in self.CLEAN_ENV:
            self.useFixture(fixtures.EnvironmentVariable(key))
        member = self.cloud.member
        for key, value in (
                ('OS_CLIENT_CONFIG_FILE', self.clouds_yaml),
                ('OS_AUTH_URL', self.cloud.keystone_url),
                ('OS_USERNAME', member.username),
                ('OS_PASSWORD', member.password),
                ('OS_PROJECT_NAME', member.project_name)):
            self.useFixture(fixtures.EnvironmentVariable(key, value))

    def test_doc_examples_run_as_written(self):
        blocks = doc_examples()
        self.assertGreaterEqual(len(blocks), 5)
        namespace = {}
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            for block in blocks:
                exec(compile(block, DOC, 'exec'), namespace)
        printed = out.getvalue()
        # The listing example: the volume's backups, oldest first.
        listed = [line.split()[0] for line in printed.splitlines()
                  if 'docs-nightly-' in line and line.count(' ') == 3]
        self.assertEqual([r['id'] for r in self.rows], listed)
        self.assertIn('5 docs-nightly-2 True', printed)
        # "_" is taken literally: Cinder's LIKE alone would count 5.
        self.assertIn('literal: 0 incrementals: ', printed)
        self.assertIn("not found: no backup with name or ID "
                      "'no-such-backup'", printed)
        self.assertIn('limit -1 is not an integer', printed)
        self.assertIn('+00:00', printed)

    def client(self, **kwargs):
        return client_mod.Client.from_cloud('mycloud', **kwargs)

    def test_list_is_lazy_and_exact(self):
        client = self.client(page_concurrency=2)
        listing = client.backups.list(name_like='docs-nightly')
        before = self.cloud.cinder_log_offset()
        self.assertEqual([], self.list_requests(before))
        got = [b.id for b in listing]
        self.assertEqual([r['id'] for r in reversed(self.rows)], got)

    def test_backup_objects(self):
        client = self.client()
        backup = client.backups.find('docs-nightly-3')
        self.assertEqual(self.rows[3]['id'], backup.id)
        self.assertEqual(self.volume_id, backup.volume_id)
        self.assertIsNotNone(backup.created_at.tzinfo)
        self.assertEqual(backup.to_dict()['created_at'],
                         backup.created_at.strftime('%Y-%m-%dT%H:%M:%S.%f'))
        self.assertIsNone(backup.project_id)  # members do not see it
        self.assertRaises(AttributeError, setattr, backup, 'name', 'x')

    def test_admin_scope_and_warning(self):
        admin = client_mod.Client.from_cloud('mycloud-admin')
        names = {b.name for b in admin.backups.list(all_projects=True,
                                                    name_like='docs-')}
        self.assertLessEqual({'docs-admin-0', 'docs-admin-1'}, names)
        found = admin.backups.find('docs-admin-1', all_projects=True)
        self.assertEqual(self.foreign[1]['id'], found.id)
        member = self.client()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            names = [b.name for b in member.backups.list(
                all_projects=True, name_like='docs-')]
        self.assertNotIn('docs-admin-0', names)
        [warning] = [w for w in caught
                     if w.category is exceptions.ScopeIgnoredWarning]
        self.assertIn('all_projects was ignored', str(warning.message))

    def test_errors_in_api_terms(self):
        client = self.client(api_version='3.30')
        e = self.assertRaises(exceptions.UnsupportedMicroversion,
                              client.backups.list, name_like='x')
        self.assertEqual(('name_like', '3.31', '3.30'),
                         (e.param, e.required, e.in_use))
        self.assertEqual('name_like needs api_version 3.31 or later; the '
                         'version in use is 3.30', str(e))
        e = self.assertRaises(exceptions.InvalidSetting, self.client,
                              timeout='soon')
        self.assertEqual("invalid timeout 'soon' (from timeout): give a "
                         "number of seconds above 0", str(e))
