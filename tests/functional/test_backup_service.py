"""The real backup service in the harness: Cinder deletes for real.

Raw HTTP through keystoneauth (no vbsclient code), against the shared cloud
with ``start_backup_service()`` (RabbitMQ and cinder-backup).  These are the
Cinder 29 facts ``openstack vbs backup prune`` is built on.
"""

import os
import shutil
import socket
import tempfile
import time

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import testtools

from tests.functional import base
from tests.harness import procs
from tests.harness import rabbit

GONE_TIMEOUT = 30


class TestBackupService(base.BackupServiceTest):

    def session(self, user='member'):
        creds = self.cloud.member if user == 'member' else self.cloud.admin
        auth = v3.Password(
            auth_url=self.cloud.keystone_url, username=creds.username,
            password=creds.password, project_id=creds.project_id,
            user_domain_name=creds.user_domain_name)
        return ks_session.Session(auth=auth)

    def url(self, backup_id, user='member'):
        creds = self.cloud.member if user == 'member' else self.cloud.admin
        return '%s/v3/%s/backups/%s' % (self.cloud.cinder_url,
                                        creds.project_id, backup_id)

    def delete(self, backup_id, user='member'):
        return self.session(user).delete(self.url(backup_id, user),
                                         raise_exc=False)

    def get(self, backup_id, user='member'):
        return self.session(user).get(self.url(backup_id, user),
                                      raise_exc=False)

    def wait_not_found(self, backup_id, user='member'):
        """GET until 404, at most GONE_TIMEOUT seconds; the statuses seen."""
        seen = []
        deadline = time.monotonic() + GONE_TIMEOUT
        while time.monotonic() < deadline:
            resp = self.get(backup_id, user)
            if resp.status_code == 404:
                return seen
            self.assertEqual(200, resp.status_code, resp.text)
            seen.append(resp.json()['backup']['status'])
            time.sleep(0.2)
        self.fail('%s still there after %ss (statuses %s)'
                  % (backup_id, GONE_TIMEOUT, seen))

    def test_leaf_202_then_gone(self):
        leaf = self.cloud.seed_deletable(1)[0]
        since = self.cloud.backup_log_offset()
        resp = self.delete(leaf['id'])
        self.assertEqual(202, resp.status_code, resp.text)
        statuses = self.wait_not_found(leaf['id'])
        self.assertLessEqual(set(statuses), {'deleting'})
        row = self.cloud.backup_rows([leaf['id']])[leaf['id']]
        self.assertEqual({'status': 'deleted', 'deleted': True},
                         {k: row[k] for k in ('status', 'deleted')})
        # Only the leaf's lines: an earlier test's deletion may log its
        # end after its GET already answered 404.
        log = self.cloud.backup_deletions(since, finished=[leaf['id']])
        self.assertEqual([('started', leaf['id']), ('finished', leaf['id'])],
                         [entry for entry in log if entry[1] == leaf['id']])

    def test_parent_with_child_400_then_child_first(self):
        parent, child = self.cloud.seed_chain(2)
        self.assertEqual(parent['id'], child['parent_id'])
        since = self.cloud.backup_log_offset()
        resp = self.delete(parent['id'])
        self.assertEqual(400, resp.status_code, resp.text)
        self.assertEqual('Invalid backup: Incremental backups exist for '
                         'this backup.', resp.json()['badRequest']['message'])
        self.assertEqual({parent['id'], child['id']},
                         self.cloud.live_backups([parent['id'], child['id']]))
        # Leaf first, then the parent once the child is gone.
        self.assertEqual(202, self.delete(child['id']).status_code)
        self.wait_not_found(child['id'])
        # The child's row is gone: the parent is free (Cinder counts child
        # rows, not num_dependent_backups, which is lowered just after).
        self.assertEqual(202, self.delete(parent['id']).status_code)
        self.wait_not_found(parent['id'])
        self.assertEqual(
            [('started', child['id']), ('finished', child['id']),
             ('started', parent['id']), ('finished', parent['id'])],
            self.cloud.backup_deletions(since, finished=[parent['id']]))

    def test_service_down_404_and_backup_stays(self):
        leaf = self.cloud.seed_deletable(1)[0]
        self.addCleanup(self.cloud.start_backup_service)
        self.cloud.backup_service_down()
        resp = self.delete(leaf['id'])
        self.assertEqual(404, resp.status_code, resp.text)
        self.assertEqual('Service cinder-backup could not be found.',
                         resp.json()['itemNotFound']['message'])
        # A 404 from DELETE is not "gone": the backup is still there.
        resp = self.get(leaf['id'])
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertEqual('available', resp.json()['backup']['status'])
        self.assertEqual({leaf['id']}, self.cloud.live_backups([leaf['id']]))
        # Back up: the same backup is deletable again.
        self.cloud.start_backup_service()
        self.assertEqual(202, self.delete(leaf['id']).status_code)
        self.wait_not_found(leaf['id'])

    def test_admin_deletes_other_projects_parent_202(self):
        # Cinder 29 looks for dependents only in the caller's project: an
        # admin (token scoped to project admin) destroys a member's parent
        # while its child stays.  The product must check children itself.
        parent, child = self.cloud.seed_chain(2)
        resp = self.delete(parent['id'], user='admin')
        self.assertEqual(202, resp.status_code, resp.text)
        self.wait_not_found(parent['id'], user='admin')
        self.assertEqual(set(), self.cloud.live_backups([parent['id']]))
        resp = self.get(child['id'])
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertEqual('available', resp.json()['backup']['status'])
        self.assertEqual(parent['id'], self.cloud.backup_rows(
            [child['id']])[child['id']]['parent_id'])


class RabbitMQStopTest(testtools.TestCase):
    """A RabbitMQ alone: loopback only, and nothing left after ``stop()``."""

    def test_loopback_and_stopped_by_pid(self):
        workdir = tempfile.mkdtemp(prefix='vbs-rabbit-test-')
        self.addCleanup(shutil.rmtree, workdir, True)
        node = rabbit.RabbitMQ(workdir)
        self.addCleanup(node.stop)
        node.start()
        node.wait()
        pid = node.node_pid()
        self.assertIsNotNone(pid)
        self.assertIn(node.dir, procs.cmdline(pid))
        self.assertTrue(os.path.isdir(os.path.join(node.dir, 'mnesia')))
        self.assertEqual({'127.0.0.1'}, _listening(node.port))
        # epmd adds the IPv6 loopback on its own.
        self.assertIn('127.0.0.1', _listening(node.epmd_port))
        self.assertLessEqual(_listening(node.epmd_port), {'127.0.0.1', '::1'})
        node.stop()
        self.assertEqual('', procs.cmdline(pid))
        self.assertEqual([], procs.group_members(node.epmd.pgid))
        self.assertRaises(OSError, socket.create_connection,
                          ('127.0.0.1', node.port), timeout=2)


def _listening(port):
    """Local addresses with a TCP socket listening on ``port``."""
    found = set()
    for table in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(table) as fh:
                lines = fh.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(':', 1)
            if state != '0A' or int(port_hex, 16) != port:
                continue
            raw = bytes.fromhex(address)
            # /proc writes each 32-bit word in host (little-endian) order.
            raw = b''.join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(socket.inet_ntop(
                socket.AF_INET if len(raw) == 4 else socket.AF_INET6, raw))
    return found
