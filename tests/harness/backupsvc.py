"""cinder-backup beside cinder-api: the service that really deletes backups.

cinder-api answers DELETE only when a cinder-backup of the backup's
availability zone is up (a heartbeat in the ``services`` table within
``service_down_time``, 60 s), then casts the work to it over RabbitMQ.  This
runs that service with the API's own config file (``conf_lines`` adds its
options there), the posix driver writing under the cloud's workdir, and
its own log file.

``report_interval`` is 2 s instead of 10 s: ``wait()`` waits for a first
heartbeat (the API's sign of life) and then for a consumer on the service's
queue, so a DELETE is never cast before anything consumes it.
``service_down_time``
keeps Cinder's default; ``mark_down()`` makes the service look as it does
after that time without a heartbeat (see its docstring).
"""

import datetime
import os
import re
import sqlite3
import time

from tests.harness import install
from tests.harness import procs

HOST = 'vbs-backup'  # seeded rows use 'localhost': never touched at start
ZONE = 'nova'
DRIVER = 'cinder.backup.drivers.posix.PosixBackupDriver'
REPORT_INTERVAL = 2
SERVICE_DOWN_TIME = 60  # Cinder's default, not set in the file
_DB_TIME = '%Y-%m-%d %H:%M:%S.%f'
_LOG_RE = re.compile(r'Delete backup (?P<event>started|finished), backup:? '
                     r'(?P<id>[0-9a-f-]{36})')


# Runs in the Cinder venv (py-amqp comes with oslo.messaging): polls a
# passive declare of the service's queue until it has a consumer.
_CONSUMER_CHECK = r'''
import sys, time, amqp
port, queue, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
deadline = time.monotonic() + timeout
while True:
    conn = amqp.Connection('127.0.0.1:' + port, userid='guest',
                           password='guest')
    try:
        conn.connect()
        _, _, consumers = conn.channel().queue_declare(queue, passive=True)
        if consumers:
            sys.exit(0)
    except amqp.exceptions.NotFound:
        pass
    finally:
        conn.collect()
    if time.monotonic() > deadline:
        sys.exit('no consumer on queue %s after %ss' % (queue, timeout))
    time.sleep(0.2)
'''


def conf_lines(posix_path):
    """[DEFAULT] lines for the shared cinder.conf."""
    return ('host = %s\n'
            'storage_availability_zone = %s\n'
            'backup_driver = %s\n'
            'backup_posix_path = %s\n'
            'report_interval = %d\n'
            % (HOST, ZONE, DRIVER, posix_path, REPORT_INTERVAL))


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class CinderBackup(object):
    """One cinder-backup process on an API's config file."""

    def __init__(self, venv, api_dir, conf_path, db_path, detached=False):
        self.venv = venv
        self.conf_path = conf_path
        self.db_path = db_path
        self.detached = detached
        self.log_path = os.path.join(api_dir, 'cinder-backup.log')
        self.out_path = os.path.join(api_dir, 'cinder-backup.out')
        self.server = None
        self._started_at = None

    def start(self):
        argv = [install.bin_path(self.venv, 'cinder-backup'),
                '--config-file', self.conf_path, '--log-file', self.log_path]
        self._started_at = _utcnow()
        self.server = procs.Server(
            'cinder-backup', argv, self.out_path, env=install.clean_env(),
            cwd=os.path.dirname(self.conf_path),
            detached=self.detached).start()
        return self.server

    def wait(self, amqp_port, timeout=120):
        """Until the API sees the service up and it consumes its queue.

        A heartbeat since ``start()`` makes the API cast; the consumer on
        the broker makes the cast arrive (RabbitMQ drops a message for a
        queue nobody has declared yet, and the heartbeat can come first
        while the RPC connection is still being retried).
        """
        deadline = time.monotonic() + timeout
        while True:
            if not self.server.running():
                raise RuntimeError(
                    'cinder-backup exited with %s; log %s:\n%s'
                    % (self.server.popen.returncode, self.log_path,
                       procs.tail(self.log_path)))
            beat = self.heartbeat()
            if beat is not None and beat >= self._started_at:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(
                    'cinder-backup sent no heartbeat within %ss; log %s:\n%s'
                    % (timeout, self.log_path, procs.tail(self.log_path)))
            time.sleep(0.3)
        argv = [install.bin_path(self.venv, 'python'), '-c', _CONSUMER_CHECK,
                str(amqp_port), 'cinder-backup.%s' % HOST,
                str(max(1, deadline - time.monotonic()))]
        procs.run_logged(argv, self.out_path, env=install.clean_env(),
                         timeout=timeout).wait()

    def running(self):
        return self.server is not None and self.server.running()

    def stop(self):
        if self.server is not None:
            self.server.stop()

    def _query(self, sql, args=()):
        conn = sqlite3.connect(self.db_path, timeout=60, isolation_level=None)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()

    def heartbeat(self):
        """The service row's last heartbeat (``updated_at``), or None."""
        rows = self._query(
            'SELECT updated_at FROM services WHERE "binary" = ? AND host = ? '
            'AND deleted = 0', ('cinder-backup', HOST))
        if not rows or not rows[0][0]:
            return None
        return datetime.datetime.strptime(rows[0][0], _DB_TIME)

    def mark_down(self):
        """Stop the service and make its heartbeat older than 60 s.

        After a stop Cinder keeps the row and only compares its
        ``updated_at`` with now minus ``service_down_time``; a row last
        written 61 s ago is what any reader (the API's ``is_up``) sees after
        a minute of silence, so this is that state without the minute.
        The process is stopped first: nothing can write a newer heartbeat.
        """
        self.stop()
        old = _utcnow() - datetime.timedelta(seconds=SERVICE_DOWN_TIME + 1)
        self._query(
            'UPDATE services SET updated_at = ? WHERE "binary" = ? AND '
            'host = ?', (old.strftime(_DB_TIME), 'cinder-backup', HOST))

    def log_offset(self):
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def deletions(self, since=0):
        """``[(event, backup_id)]`` in log order; event started/finished.

        From the manager's own lines ("Delete backup started, backup: X.",
        "Delete backup finished, backup X deleted.").
        """
        try:
            with open(self.log_path, 'rb') as fh:
                fh.seek(since)
                data = fh.read().decode('utf-8', 'replace')
        except OSError:
            return []
        return [(m.group('event'), m.group('id'))
                for m in _LOG_RE.finditer(data)]
