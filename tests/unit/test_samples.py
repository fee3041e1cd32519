"""tools/local-cloud's samples teach what the docs say (issue 26, item 7)."""

import os
import sqlite3

import fixtures
import testtools

from tests.harness import chains
from tests.harness import samples
from tests.harness import seed
from vbsclient import backup as backup_mod

ALL = samples.member_backups() + samples.other_backups()
VOLUMES = dict(samples.MEMBER_VOLUMES, **samples.OTHER_VOLUMES)


def _key(volume):
    # What a backup's name says of its volume: db, web, ..., ci-cache.
    return volume.replace('-data', '')


class TestSamples(testtools.TestCase):

    def test_counts_and_the_names_with_several_matches(self):
        self.assertEqual(42, len(samples.member_backups()))
        self.assertEqual(5, len(samples.other_backups()))
        self.assertEqual(2, [b['name'] for b in ALL].count('archive'))
        self.assertEqual(len(ALL), len({b['id'] for b in ALL}))

    def test_the_same_on_every_start(self):
        self.assertEqual(ALL, samples.member_backups()
                         + samples.other_backups())
        self.assertEqual({'vbs-member-project', 'vbs-other-project'},
                         set(samples.PROJECT_IDS))
        for project_id in samples.PROJECT_IDS.values():
            self.assertRegex(project_id, '^[0-9a-f]{32}$')

    def test_a_backup_is_as_large_as_its_volume(self):
        for b in ALL:
            self.assertEqual(VOLUMES[b['volume']][0], b['size'], b['name'])
        self.assertGreater(len({b['size'] for b in ALL}), 4)

    def test_names_name_their_volume(self):
        for b in ALL:
            if b['name'] == 'archive':
                continue
            named = [v for v in VOLUMES if _key(v) in b['name'].lower()]
            self.assertEqual([b['volume']], named, b['name'])
        nightly = [b['volume'] for b in ALL if 'nightly' in b['name']]
        self.assertEqual({'db-data'}, set(nightly))

    def test_the_other_project_has_volumes_of_its_own(self):
        self.assertFalse(set(samples.OTHER_VOLUMES)
                         & set(samples.MEMBER_VOLUMES))
        self.assertEqual(set(samples.OTHER_VOLUMES),
                         {b['volume'] for b in samples.other_backups()})

    def test_dates_spread_over_the_months_of_2024(self):
        months = {b['created'].strftime('%Y-%m')
                  for b in samples.member_backups()}
        self.assertEqual({'2024-%02d' % m for m in range(1, 13)}, months)

    def test_an_incremental_builds_on_the_newest_available_before(self):
        incrementals = 0
        for b in ALL:
            earlier = [e for e in ALL if e['volume'] == b['volume']
                       and e['created'] < b['created']
                       and e['status'] == 'available']
            newest = max(earlier, key=lambda e: e['created'])['id'] \
                if earlier else None
            if b['parent_id']:
                incrementals += 1
                self.assertEqual(newest, b['parent_id'], b['name'])
            # A VBS-form description says the same.
            flag = backup_mod.vendor_description(
                b['description'], bool(b['parent_id']))[1]
            self.assertEqual(bool(b['parent_id']), flag, b['name'])
        self.assertGreater(incrementals, 10)
        self.assertTrue([b for b in ALL if (b['description'] or '')
                         .startswith('{"DESC"')])


class TestSeeded(testtools.TestCase):
    """The rows as written: chains and what makes them deletable."""

    def setUp(self):
        super().setUp()
        self.db = os.path.join(self.useFixture(fixtures.TempDir()).path,
                               'cinder.sqlite')
        row = seed._default_row(0, seed.FIRST_CREATED_AT, 'p', 'u', {})
        conn = sqlite3.connect(self.db)
        conn.execute('CREATE TABLE backups (%s)' % ', '.join(row))
        conn.close()

    def test_rows_are_deletable_chains(self):
        specs = samples.member_backups()
        samples._seed(self.db, specs, 'p', 'u', samples.MEMBER_VOLUME_IDS)
        conn = sqlite3.connect(self.db)
        conn.row_factory = sqlite3.Row
        rows = {r['id']: dict(r) for r in conn.execute(
            'SELECT * FROM backups')}
        conn.close()
        self.assertEqual(len(specs), len(rows))
        for spec in specs:
            row = rows[spec['id']]
            for key, value in chains.DELETABLE.items():
                if key not in ('status', 'parent_id', 'fail_reason'):
                    self.assertEqual(value, row[key], key)
            self.assertEqual(spec['parent_id'], row['parent_id'])
            children = [r for r in rows.values()
                        if r['parent_id'] == spec['id']]
            self.assertEqual(len(children), row['num_dependent_backups'])
            self.assertRegex(row['created_at'],
                             r'^2024-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$')
            self.assertEqual(
                samples.MEMBER_VOLUME_IDS[spec['volume']], row['volume_id'])
        self.assertTrue([r for r in rows.values()
                         if r['num_dependent_backups']])
