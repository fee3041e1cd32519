"""Smoke test of the functional-test harness against the real servers.

Proves that the shared local cloud answers like a real Cinder for a member:
seeded backups come back newest first with a count at 3.45, every request
is in the cinder-api log with its query string, and member fuzzy filters
work at 3.34.
"""

import os
import shutil
import tempfile
import unittest
import urllib.parse

from tests.harness import cloud
from tests.harness import cloudsyaml
from tests.harness import keystone


class HarnessSmokeTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.cloud = cloud.shared_cloud()

    def setUp(self):
        # Tests sharing the cloud seed their own data.
        self.cloud.clear_backups()

    def test_list_with_count_newest_first_and_logged(self):
        rows = self.cloud.seed_backups(7)
        since = self.cloud.cinder_log_offset()
        path = self.cloud.backups_path() + '?with_count=true'
        status, _, body = self.cloud.api_get(path, microversion='3.45')
        self.assertEqual(200, status, body)
        self.assertEqual(7, body['count'])
        self.assertEqual([r['id'] for r in reversed(rows)],
                         [b['id'] for b in body['backups']])
        self.assertEqual([r['name'] for r in reversed(rows)],
                         [b['name'] for b in body['backups']])
        self.assertEqual([r['created_at'] for r in reversed(rows)],
                         [b['created_at'] for b in body['backups']])
        self.assertNotIn('backups_links', body)

        logged = [r for r in self.cloud.cinder_requests(since)
                  if r['path'] == self.cloud.backups_path()]
        self.assertEqual(1, len(logged), logged)
        self.assertEqual('GET', logged[0]['method'])
        self.assertEqual('with_count=true', logged[0]['query'])
        self.assertEqual(200, logged[0]['status'])
        self.assertIn('"GET %s?with_count=true HTTP/'
                      % self.cloud.backups_path(), logged[0]['line'])

    def test_member_fuzzy_filters_at_3_34(self):
        rows = self.cloud.seed_backups(7)
        base = self.cloud.backups_path()
        for key, term in (('name~', 'daily'), ('name~', 'WEB'),
                          ('name~', '\u30d0\u30c3\u30af'),
                          ('status~', 'avail'),
                          ('volume_id~', rows[0]['volume_id'][:8])):
            column = key[:-1]
            expected = [r['id'] for r in reversed(rows)
                        if term.lower() in r[column].lower()]
            self.assertTrue(expected)
            self.assertLess(len(expected), len(rows))
            query = urllib.parse.urlencode({key: term})
            status, _, body = self.cloud.api_get(base + '?' + query,
                                                 microversion='3.34')
            self.assertEqual(200, status, (key, term, body))
            self.assertEqual(expected, [b['id'] for b in body['backups']],
                             (key, term))

    def test_admin_sees_other_projects_member_does_not(self):
        mine = self.cloud.seed_backups(2)
        other_project = self.cloud.ensure_project('vbs-smoke-other')
        theirs = self.cloud.seed_backups(3, project_id=other_project)
        status, _, body = self.cloud.api_get(
            self.cloud.backups_path(self.cloud.admin.project_id) +
            '?all_tenants=1', token=self.cloud.token('admin'))
        self.assertEqual(200, status, body)
        self.assertEqual({r['id'] for r in mine + theirs},
                         {b['id'] for b in body['backups']})
        status, _, body = self.cloud.api_get(self.cloud.backups_path())
        self.assertEqual({r['id'] for r in mine},
                         {b['id'] for b in body['backups']})

    def test_extra_cinder_pages(self):
        rows = self.cloud.seed_backups(7)
        url = self.cloud.start_extra_cinder(osapi_max_limit=5)
        self.assertNotEqual(url, self.cloud.cinder_url)
        status, _, body = self.cloud.api_get(
            self.cloud.backups_path(), base_url=url)
        self.assertEqual(200, status, body)
        self.assertEqual([r['id'] for r in reversed(rows)][:5],
                         [b['id'] for b in body['backups']])
        nexts = [link['href'] for link in body['backups_links']
                 if link['rel'] == 'next']
        self.assertEqual(1, len(nexts))
        self.assertIn('marker=%s' % rows[2]['id'], nexts[0])
        logged = self.cloud.cinder_requests(url=url)
        self.assertTrue(any(r['path'] == self.cloud.backups_path()
                            for r in logged))

    def _member_catalog(self):
        creds = self.cloud.member
        _, token_body = keystone.password_token(
            self.cloud.keystone_url, creds.username, creds.password,
            project_id=creds.project_id)
        return {(s['type'], e['interface']): e['url']
                for s in token_body['catalog'] for e in s['endpoints']}

    def test_set_catalog_seen_by_new_tokens(self):
        self.addCleanup(self.cloud.set_catalog, vbs=True, block_storage=True)
        self.cloud.set_catalog(vbs=False, block_storage=True)
        types = {key[0] for key in self._member_catalog()}
        self.assertEqual({'identity', 'block-storage'}, types)
        self.cloud.set_catalog(vbs=True, block_storage=False)
        types = {key[0] for key in self._member_catalog()}
        self.assertEqual({'identity', 'vbs'}, types)

    def test_catalog_and_clouds_yaml(self):
        self.cloud.set_catalog(vbs=True, block_storage=True)
        creds = self.cloud.member
        urls = self._member_catalog()
        root = self.cloud.cinder_url
        pid = creds.project_id
        for interface in ('public', 'internal', 'admin'):
            self.assertEqual('%s/v3/%s' % (root, pid),
                             urls[('block-storage', interface)])
            self.assertEqual('%s/v2/%s' % (root, pid),
                             urls[('vbs', interface)])

        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        path = os.path.join(tmp, 'clouds.yaml')
        with open(path, 'w') as fh:
            fh.write('# mine\nclouds:\n  other:\n    auth:\n'
                     '      auth_url: http://example.invalid/v3\n'
                     '    region_name: Elsewhere\n')
        self.cloud.write_clouds_yaml(path)
        data = cloudsyaml.load(path, helper_python=os.path.join(
            self.cloud.state()['keystone_venv'], 'bin', 'python'))
        self.assertEqual('Elsewhere', data['clouds']['other']['region_name'])
        self.assertEqual(self.cloud.clouds_yaml_entries(),
                         {k: data['clouds'][k]
                          for k in ('vbs-local', 'vbs-local-admin')})


if __name__ == '__main__':
    unittest.main()
