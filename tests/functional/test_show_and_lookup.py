"""``vbs backup show`` and names for backups and volumes, on the real
Keystone and Cinder.

Ground truth is Cinder's own answer to the same question; request counts
are read from Cinder's request log.
"""

import json
import uuid

from tests.functional import base

# Server field -> show's label, for every field Cinder 3.64 sends.
LABELS = {
    'id': 'ID', 'name': 'Name', 'description': 'Description',
    'status': 'Status', 'size': 'Size', 'is_incremental': 'Incremental',
    'created_at': 'Created At', 'availability_zone': 'Availability Zone',
    'volume_id': 'Volume ID', 'snapshot_id': 'Snapshot ID',
    'container': 'Container', 'object_count': 'Object Count',
    'fail_reason': 'Fail Reason',
    'has_dependent_backups': 'Has Dependent Backups',
    'data_timestamp': 'Data Timestamp', 'updated_at': 'Updated At',
    'os-backup-project-attr:project_id': 'Project ID', 'user_id': 'User ID',
    'encryption_key_id': 'Encryption Key ID', 'metadata': 'Metadata',
}

# A name that looks like an ID (and is none).
UUID_NAME = str(uuid.uuid5(uuid.NAMESPACE_URL, 'vbs-uuid-shaped-name'))
NAMES = ('show-unique', 'show-dup', 'show-dup', UUID_NAME, 'vendor-form',
         'marker-here', 'plain-6', 'plain-7', 'plain-8', 'plain-9')


class TestShow(base.FunctionalTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud.clear_backups()
        cls.rows = cls.cloud.seed_backups(
            len(NAMES), name=lambda i, row: NAMES[i],
            description=lambda i, row: (
                '{"DESC": "nightly db", "INC": 1}' if NAMES[i] == 'vendor-form'
                else row['display_description']))
        cls.by_name = {}
        for row in cls.rows:
            cls.by_name.setdefault(row['name'], []).append(row['id'])
        cls.cloud.seed_backup_metadata(cls.by_name['show-unique'][0],
                                       {'tier': 'gold', 'owner': 'db-team'})
        cls.admin_rows = cls.cloud.seed_backups(
            2, project_id=cls.cloud.admin.project_id,
            name=lambda i, row: 'admin-only-%d' % i)

    def server_backup(self, backup_id, user='member'):
        status, _h, body = self.cloud.api_get(
            '/v3/%s/backups/%s' % (self.project_id(user), backup_id),
            token=self.cloud.token(user), microversion='3.64')
        self.assertEqual(200, status, body)
        return body['backup']

    def show_json(self, value, user='member'):
        return json.loads(self.openstack_ok(
            'vbs', 'backup', 'show', value, '-f', 'json', user=user))

    def requests_since(self, since):
        # (method, path relative to the project, query pairs)
        prefix = '/v3/%s/' % self.cloud.member.project_id
        return [(r['method'], r['path'].replace(prefix, ''), r['params'])
                for r in self.cloud.cinder_requests(since)]

    def test_show_by_id_has_every_server_field(self):
        backup_id = self.by_name['show-unique'][0]
        shown = self.show_json(backup_id)
        server = self.server_backup(backup_id)
        self.assertIn('links', server)
        expected = {LABELS[k]: v for k, v in server.items() if k != 'links'}
        self.assertEqual(expected, shown)
        self.assertEqual({'tier': 'gold', 'owner': 'db-team'},
                         shown['Metadata'])
        self.assertIsInstance(shown['Size'], int)
        self.assertIsInstance(shown['Object Count'], int)
        self.assertIsInstance(shown['Incremental'], bool)

    def test_show_table_and_yaml(self):
        backup_id = self.by_name['show-unique'][0]
        table = self.openstack_ok('vbs', 'backup', 'show', backup_id)
        self.assertIn("owner='db-team', tier='gold'", table)
        self.assertNotIn('links', table.lower())
        yaml_out = self.openstack_ok('vbs', 'backup', 'show', backup_id,
                                     '-f', 'yaml')
        self.assertIn('Metadata:\n  owner: db-team\n  tier: gold\n',
                      yaml_out)

    def test_show_without_metadata_is_an_empty_object(self):
        shown = self.show_json(self.by_name['plain-6'][0])
        self.assertEqual({}, shown['Metadata'])

    def test_show_decodes_the_vendor_description(self):
        backup_id = self.by_name['vendor-form'][0]
        shown = self.show_json(backup_id)
        self.assertEqual('nightly db', shown['Description'])
        self.assertIs(True, shown['Incremental'])
        self.assertEqual(
            '{"DESC": "nightly db", "INC": 1}',
            self.server_backup(backup_id)['description'])

    def test_show_metadata_below_3_43_is_left_out(self):
        backup_id = self.by_name['show-unique'][0]
        shown = json.loads(self.openstack_ok(
            '--os-vbs-backup-api-version', '3.42', 'vbs', 'backup', 'show',
            backup_id, '-f', 'json'))
        self.assertEqual(backup_id, shown['ID'])
        self.assertNotIn('Metadata', shown)

    def test_show_by_name_is_the_same_as_by_id(self):
        backup_id = self.by_name['show-unique'][0]
        self.assertEqual(self.show_json(backup_id),
                         self.show_json('show-unique'))

    def test_show_by_id_costs_one_get_and_discovery(self):
        backup_id = self.by_name['plain-6'][0]
        since = self.cloud.cinder_log_offset()
        shown = self.show_json(backup_id)
        self.assertEqual(backup_id, shown['ID'])
        self.assertIs(False, shown['Incremental'])
        self.assertEqual([('GET', '/v3/', []),
                          ('GET', 'backups/%s' % backup_id, [])],
                         self.requests_since(since))

    def test_show_of_an_incremental_costs_one_row_more(self):
        # Its inferred parent: one filtered request of one row.
        backup_id = self.by_name['plain-7'][0]
        since = self.cloud.cinder_log_offset()
        shown = self.show_json(backup_id)
        self.assertIs(True, shown['Incremental'])
        self.assertEqual([('GET', '/v3/', []),
                          ('GET', 'backups/%s' % backup_id, []),
                          ('GET', 'backups/detail',
                           [('volume_id', shown['Volume ID']),
                            ('status', 'available'),
                            ('marker', backup_id), ('limit', '1')])],
                         self.requests_since(since))
        [row] = self.cloud.cinder_requests(since)[-1:]
        self.assertLess(row['bytes'], 2000)

    def test_show_by_name_costs_one_filtered_listing(self):
        since = self.cloud.cinder_log_offset()
        self.assertEqual(self.by_name['plain-8'][0],
                         self.show_json('plain-8')['ID'])
        self.assertEqual([('GET', '/v3/', []),
                          ('GET', 'backups/detail',
                           [('name', 'plain-8'), ('limit', '5')])],
                         self.requests_since(since))

    def test_show_by_uuid_shaped_name_costs_two(self):
        since = self.cloud.cinder_log_offset()
        shown = self.show_json(UUID_NAME)
        self.assertEqual(self.by_name[UUID_NAME][0], shown['ID'])
        self.assertEqual(UUID_NAME, shown['Name'])
        requests = self.requests_since(since)
        self.assertEqual([('GET', '/v3/', []),
                          ('GET', 'backups/%s' % UUID_NAME, []),
                          ('GET', 'backups/detail',
                           [('name', UUID_NAME), ('limit', '5')])],
                         requests)

    def test_show_duplicated_name(self):
        rc, out, err = self.openstack('vbs', 'backup', 'show', 'show-dup')
        self.assertEqual(1, rc, err)
        self.assertEqual('', out)
        line = self.assertOneLine(err)
        for backup_id in self.by_name['show-dup']:
            self.assertIn(backup_id, line)
        self.assertIn('use the ID', line)

    def test_show_missing_name_and_id(self):
        missing_id = str(uuid.uuid4())
        for value in ('no-such-backup', missing_id):
            rc, out, err = self.openstack('vbs', 'backup', 'show', value)
            self.assertEqual(1, rc, err)
            self.assertEqual('', out)
            line = self.assertOneLine(err)
            self.assertIn(value, line)
            self.assertIn('backup', line)
            self.assertIn(self.cloud.member.project_id, line)

    def test_show_another_projects_backup_as_member(self):
        admin_backup = self.admin_rows[0]['id']
        # The server's own answer: not found for the member.
        status, _h, body = self.cloud.api_get(
            '/v3/%s/backups/%s' % (self.cloud.member.project_id,
                                   admin_backup))
        self.assertEqual(404, status, body)
        for value in (admin_backup, 'admin-only-0'):
            rc, out, err = self.openstack('vbs', 'backup', 'show', value)
            self.assertEqual(1, rc, err)
            self.assertEqual('', out)
            line = self.assertOneLine(err)
            self.assertIn(value, line)
            self.assertIn(self.cloud.member.project_id, line)

    def test_show_as_admin_names_the_owner(self):
        backup_id = self.by_name['plain-9'][0]
        shown = self.show_json(backup_id, user='admin')
        self.assertEqual(self.cloud.member.project_id, shown['Project ID'])
        self.assertEqual(self.cloud.member.user_id, shown['User ID'])
        self.assertEqual(self.server_backup(backup_id, 'admin')['size'],
                         shown['Size'])

    def test_admin_shows_another_projects_backup_by_name(self):
        backup_id = self.by_name['plain-9'][0]
        member = self.cloud.member
        rc, out, err = self.openstack('vbs', 'backup', 'show', 'plain-9',
                                      user='admin')
        self.assertEqual(1, rc, err)
        line = self.assertOneLine(err)
        self.assertIn(self.cloud.admin.project_id, line)
        self.assertIn('--all-projects', line)
        self.assertIn('--project', line)
        for scope in (['--all-projects'], ['--project', member.project_name],
                      ['--project', member.project_id,
                       '--project-domain', 'default']):
            since = self.cloud.cinder_log_offset()
            shown = json.loads(self.openstack_ok(
                'vbs', 'backup', 'show', 'plain-9', '-f', 'json', *scope,
                user='admin'))
            self.assertEqual(backup_id, shown['ID'], scope)
            self.assertEqual(member.project_id, shown['Project ID'])
            [lookup] = [r for r in self.cloud.cinder_requests(since)
                        if r['path'].endswith('/backups/detail')]
            self.assertEqual('1', dict(lookup['params']).get('all_tenants'))

    def test_show_duplicated_name_across_projects(self):
        self.cloud.seed_backups(1, project_id=self.cloud.admin.project_id,
                                name='plain-9-everywhere')
        self.cloud.seed_backups(1, name='plain-9-everywhere')
        rc, out, err = self.openstack('vbs', 'backup', 'show',
                                      'plain-9-everywhere', '--all-projects',
                                      user='admin')
        self.assertEqual(1, rc, err)
        self.assertIn('2 backups are named', self.assertOneLine(err))

    def test_marker_by_name(self):
        marker = self.by_name['marker-here'][0]
        expected = self.server_ids(query={'marker': marker})
        self.assertTrue(expected)
        by_name = self.openstack_ok('vbs', 'backup', 'list', '--marker',
                                    'marker-here', '-f', 'value', '-c', 'ID')
        self.assertEqual(expected, by_name.split())
        by_id = self.openstack_ok('vbs', 'backup', 'list', '--marker',
                                  marker, '-f', 'value', '-c', 'ID')
        self.assertEqual(expected, by_id.split())

    def test_marker_by_duplicated_or_missing_name(self):
        for value, text in (('show-dup', 'use the ID'),
                            ('no-such-marker', 'no-such-marker')):
            rc, out, err = self.openstack('vbs', 'backup', 'list',
                                          '--marker', value)
            self.assertEqual(1, rc, err)
            self.assertEqual('', out)
            self.assertIn(text, self.assertOneLine(err))


class TestVolumeNames(base.FunctionalTest):
    """--volume by name or ID, with volume rows inserted into Cinder's DB."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cloud = cls.cloud
        cloud.clear_backups()
        (cls.vol_one,) = cloud.seed_volumes(['lookup-vol-one'])
        cls.vol_dups = cloud.seed_volumes(['lookup-vol-dup'] * 2)
        (cls.vol_gone,) = cloud.seed_volumes(['lookup-vol-gone'],
                                             deleted=True)
        cloud.seed_volumes(['lookup-vol-admin'],
                           project_id=cloud.admin.project_id)
        # Backups of existing, duplicated-name and deleted volume rows, and
        # of a volume that never had a row.
        cls.never = str(uuid.uuid4())
        targets = [cls.vol_one, cls.vol_dups[0], cls.vol_gone, cls.never]
        cls.rows = cloud.seed_backups(
            14, volume_id=lambda i, row: targets[i % len(targets)])
        cls.volume_path = '/v3/%s/volumes' % cloud.member.project_id

    def list_ids(self, *args):
        return self.openstack_ok('vbs', 'backup', 'list', '-f', 'value',
                                 '-c', 'ID', *args).split()

    def volume_requests(self, since):
        return [r for r in self.cloud.cinder_requests(since)
                if r['path'] == self.volume_path]

    def test_volume_by_name_costs_one_volume_request(self):
        expected = self.server_ids(query={'volume_id': self.vol_one})
        self.assertTrue(expected)
        since = self.cloud.cinder_log_offset()
        self.assertEqual(expected, self.list_ids('--volume',
                                                 'lookup-vol-one'))
        requests = self.cloud.cinder_requests(since)
        volumes = self.volume_requests(since)
        self.assertEqual(1, len(volumes), requests)
        self.assertEqual(('name', 'lookup-vol-one'), volumes[0]['params'][0])
        listing = self.list_requests(since)
        self.assertEqual([('volume_id', self.vol_one)],
                         [p for p in listing[0]['params']
                          if p[0] == 'volume_id'])
        # Discovery, the volume lookup, one page: nothing else.
        self.assertEqual(3, len(requests), requests)

    def test_volume_by_id_costs_no_volume_request(self):
        for volume_id in (self.vol_one, self.vol_gone, self.never):
            expected = self.server_ids(query={'volume_id': volume_id})
            self.assertTrue(expected, volume_id)
            since = self.cloud.cinder_log_offset()
            self.assertEqual(expected, self.list_ids('--volume', volume_id))
            self.assertEqual([], self.volume_requests(since))
            self.assertEqual(2, len(self.cloud.cinder_requests(since)))

    def test_count_by_volume_name(self):
        expected = len(self.server_ids(query={'volume_id': self.vol_one}))
        out = self.openstack_ok('vbs', 'backup', 'count', '--volume',
                                'lookup-vol-one', '-f', 'value', '-c',
                                'count')
        self.assertEqual(expected, int(out))

    def test_duplicated_volume_name(self):
        for command in ('list', 'count'):
            rc, out, err = self.openstack('vbs', 'backup', command,
                                          '--volume', 'lookup-vol-dup')
            self.assertEqual(1, rc, err)
            self.assertEqual('', out)
            line = self.assertOneLine(err)
            for volume_id in self.vol_dups:
                self.assertIn(volume_id, line)
            self.assertIn('use the ID', line)

    def test_admin_names_a_member_projects_volume(self):
        # The name is looked up in the scope asked for: --project sends
        # all_tenants=1&project_id=<ID> on the volumes request too.
        member = self.cloud.member
        admin_volumes = '/v3/%s/volumes' % self.cloud.admin.project_id
        expected = self.server_ids('admin', query={
            'all_tenants': 1, 'volume_id': self.vol_one})
        self.assertTrue(expected)
        for scope, sent in (
                (['--project', member.project_name],
                 {'all_tenants': '1', 'project_id': member.project_id}),
                (['--project', member.project_id],
                 {'all_tenants': '1', 'project_id': member.project_id}),
                (['--all-projects'], {'all_tenants': '1'})):
            since = self.cloud.cinder_log_offset()
            self.assertEqual(expected, self.openstack_ok(
                'vbs', 'backup', 'list', '--volume', 'lookup-vol-one',
                '-f', 'value', '-c', 'ID', *scope, user='admin').split(),
                scope)
            [volumes] = [r for r in self.cloud.cinder_requests(since)
                         if r['path'] == admin_volumes]
            params = dict(volumes['params'])
            self.assertEqual(sent, {k: v for k, v in params.items()
                                    if k in ('all_tenants', 'project_id')})
            self.assertEqual('lookup-vol-one', params['name'])
        # The admin's own volume is not in the member's project, and the
        # message names the project searched.
        rc, out, err = self.openstack('vbs', 'backup', 'list', '--project',
                                      member.project_name, '--volume',
                                      'lookup-vol-admin', user='admin')
        self.assertEqual(1, rc, err)
        self.assertEqual('', out)
        line = self.assertOneLine(err)
        self.assertIn("'lookup-vol-admin' in project %s" % member.project_id,
                      line)

    def test_missing_deleted_or_foreign_volume_name(self):
        since = self.cloud.cinder_log_offset()
        names = ('no-such-volume', 'lookup-vol-gone', 'lookup-vol-admin')
        for name in names:
            rc, out, err = self.openstack('vbs', 'backup', 'list',
                                          '--volume', name)
            self.assertEqual(1, rc, err)
            self.assertEqual('', out)
            line = self.assertOneLine(err)
            self.assertIn('volume', line)
            self.assertIn(name, line)
            self.assertIn(self.cloud.member.project_id, line)
        # Nothing was listed after a failed lookup.
        self.assertEqual([], self.list_requests(since))
        self.assertEqual(len(names), len(self.volume_requests(since)))
