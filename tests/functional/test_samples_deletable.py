"""tools/local-cloud's samples are deleted by the real backup service.

The member's samples (tests/harness/samples.py) go into the shared cloud
with ``start_backup_service()``; raw DELETEs show their chains are what
Cinder made: a parent with an incremental on it is refused, the leaf first
then the parent is deleted, and so is a failed backup.
"""

from tests.functional import base
from tests.harness import chains
from tests.harness import samples
from tests.harness import seed

GONE_TIMEOUT = 30


class TestSamplesDeletable(base.BackupServiceTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.specs = {s['name']: s for s in samples.member_backups()}
        member = cls.cloud.member
        samples._seed(cls.cloud.cinder_db_path, list(cls.specs.values()),
                      member.project_id, member.user_id,
                      samples.MEMBER_VOLUME_IDS)
        cls.addClassCleanup(seed.delete_backups, cls.cloud.cinder_db_path,
                            [s['id'] for s in cls.specs.values()])

    def delete(self, name):
        status, _headers, body = self.cloud.api_request(
            'DELETE', '%s/%s' % (self.cloud.backups_path(detail=False),
                                 self.specs[name]['id']),
            token=self.cloud.token())
        return status, body

    def test_leaf_then_parent_then_a_failed_one(self):
        leaf, parent = self.specs['db-nightly-39'], self.specs['Daily DB 34']
        self.assertEqual(parent['id'], leaf['parent_id'])
        status, body = self.delete('Daily DB 34')
        self.assertEqual(400, status, body)
        self.assertIn('Incremental backups exist', str(body))
        for name in ('db-nightly-39', 'Daily DB 34', 'home-weekly-33'):
            self.assertEqual(202, self.delete(name)[0], name)
            chains.wait_deleted(self.cloud.cinder_db_path,
                                [self.specs[name]['id']], GONE_TIMEOUT)
        self.assertEqual('error', self.specs['home-weekly-33']['status'])
        # The rest of the chain stays.
        self.assertEqual(
            {self.specs['db-nightly-29']['id']},
            chains.live(self.cloud.cinder_db_path,
                        [self.specs['db-nightly-29']['id']]))
