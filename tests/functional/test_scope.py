"""Admin scope: --all-projects and --project, as admin and as a member.

Backups in three projects (the member's, the admin's and a third); the
truth is Cinder's own answer to the admin's ``all_tenants`` queries.
"""

import csv
import io
import json
import os

from tests.functional import base

THIRD_PROJECT = 'vbs-scope-third'
# Hides the owner field from admins too (Cinder's default: admins see it).
HIDE_OWNER = '"backup:backup_project_attribute": "!"\n'
DEFAULT_HEADERS = ['ID', 'Name', 'Description', 'Status', 'Size',
                   'Incremental', 'Created At']


class TestScope(base.FunctionalTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cloud = cls.cloud
        cloud.clear_backups()
        cls.third = cloud.ensure_project(THIRD_PROJECT)
        cls.owner = {}
        for project, n in ((cloud.member.project_id, 7),
                           (cloud.admin.project_id, 4),
                           (cls.third, 6)):
            for row in cloud.seed_backups(n, project_id=project):
                cls.owner[row['id']] = project

    def ids(self, *args, user='admin'):
        return self.openstack_ok('vbs', 'backup', 'list', '-f', 'value',
                                 '-c', 'ID', *args, user=user).split()

    def count(self, *args, user='admin'):
        return int(self.openstack_ok('vbs', 'backup', 'count', '-f', 'value',
                                     '-c', 'count', *args, user=user))

    def test_all_projects_as_admin(self):
        expected = self.server_ids('admin', query={'all_tenants': 1})
        self.assertEqual(sorted(self.owner), sorted(expected))
        rows = json.loads(self.openstack_ok(
            'vbs', 'backup', 'list', '--all-projects', '-f', 'json',
            user='admin'))
        self.assertEqual(expected, [r['ID'] for r in rows])
        self.assertEqual(DEFAULT_HEADERS + ['Project ID'], list(rows[0]))
        for row in rows:
            self.assertEqual(self.owner[row['ID']], row['Project ID'])
        self.assertEqual(len(expected), self.count('--all-projects'))

    def test_project_by_name_and_id_as_admin(self):
        for project, name in ((self.third, THIRD_PROJECT),
                              (self.cloud.member.project_id,
                               self.cloud.member.project_name)):
            expected = self.server_ids('admin', query={
                'all_tenants': 1, 'project_id': project})
            self.assertEqual(
                sorted(b for b, p in self.owner.items() if p == project),
                sorted(expected))
            for args in (['--project', name], ['--project', project],
                         ['--project', name, '--project-domain', 'default'],
                         ['--project', name, '--project-domain', 'Default']):
                self.assertEqual(expected, self.ids(*args), args)
                self.assertEqual(len(expected), self.count(*args), args)

    def test_project_sends_all_tenants_and_the_project_id(self):
        since = self.cloud.cinder_log_offset()
        self.ids('--project', THIRD_PROJECT)
        listing = self.list_requests(since)
        self.assertEqual(1, len(listing))
        params = dict(listing[0]['params'])
        self.assertEqual('1', params['all_tenants'])
        self.assertEqual(self.third, params['project_id'])

    def test_scoped_default_columns(self):
        rows = list(csv.reader(io.StringIO(self.openstack_ok(
            'vbs', 'backup', 'list', '--project', THIRD_PROJECT, '-f', 'csv',
            user='admin'))))
        self.assertEqual(DEFAULT_HEADERS + ['Project ID'], rows[0])
        self.assertEqual({self.third}, {r[-1] for r in rows[1:]})
        unscoped = list(csv.reader(io.StringIO(self.openstack_ok(
            'vbs', 'backup', 'list', '-f', 'csv', user='admin'))))
        self.assertEqual(DEFAULT_HEADERS, unscoped[0])
        self.assertEqual(self.server_ids('admin'),
                         [r[0] for r in unscoped[1:]])

    def test_unknown_project_as_admin(self):
        rc, out, err = self.openstack('vbs', 'backup', 'list', '--project',
                                      'no-such-project', user='admin')
        self.assertEqual(1, rc, err)
        self.assertEqual('', out)
        self.assertIn('no-such-project', self.assertOneLine(err))

    def test_all_projects_as_member_warns(self):
        own = self.server_ids('member')
        self.assertEqual(
            sorted(b for b, p in self.owner.items()
                   if p == self.cloud.member.project_id), sorted(own))
        for command, check in (
                ('list', lambda out: self.assertEqual(own, out.split())),
                ('count', lambda out: self.assertEqual(
                    '%d\n' % len(own), out))):
            args = ['-f', 'value']
            if command == 'list':
                args += ['-c', 'ID']
            else:
                args += ['-c', 'count']
            rc, out, err = self.openstack('vbs', 'backup', command,
                                          '--all-projects', *args)
            self.assertEqual(0, rc, err)
            check(out)
            line = self.assertOneLine(err)
            self.assertIn('--all-projects was ignored', line)
            self.assertIn(self.cloud.member.project_id, line)

    def test_all_projects_as_admin_does_not_warn(self):
        rc, _out, err = self.openstack('vbs', 'backup', 'list',
                                       '--all-projects', user='admin')
        self.assertEqual(0, rc, err)
        self.assertEqual('', err)

    def test_project_as_member_is_refused(self):
        for command in ('list', 'count'):
            for value in (THIRD_PROJECT, self.third):
                rc, out, err = self.openstack('vbs', 'backup', command,
                                              '--project', value)
                self.assertEqual(1, rc, err)
                self.assertEqual('', out)
                line = self.assertOneLine(err)
                self.assertTrue(
                    line.startswith('--project needs the admin role'), line)

    def set_cinder_policy(self, text):
        # Found next to cinder.conf; oslo.policy reads it again when it
        # changes (an empty one: the defaults again).
        path = os.path.join(os.path.dirname(self.cloud.cinder_log_path),
                            'policy.yaml')
        with open(path, 'w') as fh:
            fh.write(text)

    def test_project_with_the_owner_hidden_by_policy_lists(self):
        # Its absence proves nothing: the admin's --project is listed, with
        # one warning line, not refused.
        self.addCleanup(self.set_cinder_policy, '{}\n')
        self.set_cinder_policy(HIDE_OWNER)
        query = {'all_tenants': 1, 'project_id': self.third}
        status, _h, body = self.cloud.api_get(
            self.cloud.backups_path(self.cloud.admin.project_id) + '?'
            + 'all_tenants=1&project_id=' + self.third,
            token=self.cloud.token('admin'), microversion='3.64')
        self.assertEqual(200, status, body)
        self.assertTrue(body['backups'])
        for row in body['backups']:
            self.assertNotIn('os-backup-project-attr:project_id', row)
        expected = self.server_ids('admin', query=query)
        for command, args, want in (
                ('list', ['-c', 'ID'], expected),
                ('count', ['-c', 'count'], [str(len(expected))])):
            rc, out, err = self.openstack('vbs', 'backup', command,
                                          '--project', THIRD_PROJECT,
                                          '-f', 'value', *args, user='admin')
            self.assertEqual(0, rc, err)
            self.assertEqual(want, out.split())
            line = self.assertOneLine(err)
            self.assertTrue(line.startswith(
                'Warning: the server sent the backups without their owner, '
                'so --project %s (%s) could not be checked'
                % (THIRD_PROJECT, self.third)), line)
