"""The backup service part of LocalCloud: RabbitMQ and cinder-backup.

A cloud starts without them (``transport_url = fake://``) unless made with
``LocalCloud(backup_service=True)``; ``start_backup_service()`` adds them to
a running cloud (cinder-api restarts once on the same port with the
RabbitMQ transport), so only the tests that delete pay for them.
"""

import os
import time

from tests.harness import backupsvc
from tests.harness import chains
from tests.harness import rabbit as rabbit_mod


class BackupServiceMixin(object):
    """Methods of LocalCloud; it sets ``rabbit`` and ``cinder_backup``."""

    def _start_rabbit(self):
        if self.rabbit is None:
            self.log('starting rabbitmq')
            self.rabbit = rabbit_mod.RabbitMQ(self.workdir,
                                              detached=self.detachable)
            self.rabbit.start()
        return self.rabbit

    def _backup_conf(self):
        """CinderApi keywords for the main cinder-api."""
        if self.rabbit is None:
            return {}
        posix = os.path.join(self.workdir, 'backups')
        os.makedirs(posix, exist_ok=True)
        return {'transport_url': self.rabbit.url,
                'backup': backupsvc.conf_lines(posix)}

    def _backup_servers(self):
        found = []
        if self.cinder_backup is not None and self.cinder_backup.server:
            found.append(self.cinder_backup.server)
        if self.rabbit is not None:
            found.extend(self.rabbit.servers())
        return found

    def _backup_state(self):
        """``state()`` entries: (server, token in its command line)."""
        found = []
        if self.cinder_backup is not None and self.cinder_backup.server:
            found.append((self.cinder_backup.server,
                          self.cinder_backup.log_path))
        if self.rabbit is not None:
            found.append((self.rabbit.server, self.rabbit.dir))
            found.append((self.rabbit.epmd, '-port %d -address'
                          % self.rabbit.epmd_port))
        return [server.state(token) for server, token in found if server]

    def start_backup_service(self):
        """RabbitMQ and a cinder-backup; return once DELETE can work.

        Idempotent; after ``backup_service_down()`` it starts cinder-backup
        again.  Fails with the install hint when rabbitmq-server is missing.
        """
        with self._lock:
            if not self._started or self._recorded is not None:
                raise RuntimeError('start() the cloud first')
            if not rabbit_mod.installed():
                raise RuntimeError(rabbit_mod.INSTALL_HINT)
            started = time.monotonic()
            # All three start at once: cinder-backup's RPC connection is
            # retried until RabbitMQ answers.
            rabbit = self._start_rabbit()
            api = self.cinder
            restart = api.transport_url != rabbit.url
            if restart:
                for key, value in self._backup_conf().items():
                    setattr(api, key, value)
                api.configure()
                api.server.stop()
                api.start()
            if self.cinder_backup is None:
                self.cinder_backup = backupsvc.CinderBackup(
                    self._venvs['cinder'], api.dir, api.conf_path,
                    self.cinder_db_path, detached=self.detachable)
            backup = self.cinder_backup
            if not backup.running():
                backup.start()
            rabbit.wait()
            if restart:
                api.wait()
            backup.wait(rabbit.port)
            self.log('backup service ready in %.1fs'
                     % (time.monotonic() - started))
            return backup

    def backup_service_down(self):
        """Stop cinder-backup; the API then finds no backup service.

        See ``backupsvc.CinderBackup.mark_down``.  ``start_backup_service()``
        brings it back.
        """
        self.start_backup_service().mark_down()

    # -- deletable backups -------------------------------------------------
    def _owner(self, project_id):
        if project_id is None or project_id == self.member.project_id:
            return self.member.project_id, self.member.user_id
        return project_id, self.admin.user_id

    def seed_deletable(self, n, project_id=None, **overrides):
        """``n`` full backups cinder-backup can delete (``chains``)."""
        project_id, user_id = self._owner(project_id)
        return chains.deletable(self.cinder_db_path, n, project_id, user_id,
                                **overrides)

    def seed_chain(self, length, project_id=None, volume_id=None,
                   **overrides):
        """A deletable full backup and ``length - 1`` incrementals on it."""
        project_id, user_id = self._owner(project_id)
        return chains.chain(self.cinder_db_path, length, project_id,
                            user_id, volume_id=volume_id, **overrides)

    def backup_rows(self, ids):
        """Cinder's rows of ``ids`` (``chains.rows``): deleted flag etc."""
        return chains.rows(self.cinder_db_path, ids)

    def live_backups(self, ids):
        """The ids among ``ids`` whose rows are not deleted."""
        return chains.live(self.cinder_db_path, ids)

    def wait_backups_deleted(self, ids, timeout=30):
        chains.wait_deleted(self.cinder_db_path, ids, timeout)

    def _started_backup(self):
        if self.cinder_backup is None:
            raise RuntimeError('start_backup_service() first')
        return self.cinder_backup

    def backup_log_offset(self):
        """Size of cinder-backup's log, to pass as ``since`` later."""
        return self._started_backup().log_offset()

    def backup_deletions(self, since=0, finished=(), timeout=30):
        """``[(event, id)]`` from cinder-backup's log (``backupsvc``).

        Waits (at most ``timeout`` s) until every id of ``finished`` has
        its 'finished' line: the service logs it just after the row is
        gone, so a GET may answer 404 a moment before.
        """
        service = self._started_backup()
        deadline = time.monotonic() + timeout
        while True:
            found = service.deletions(since)
            done = {i for event, i in found if event == 'finished'}
            if set(finished) <= done or time.monotonic() > deadline:
                return found
            time.sleep(0.1)
