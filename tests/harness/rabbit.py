"""Debian's RabbitMQ, one private node on loopback, for cinder-backup's RPC.

Everything the node writes (database, logs, pid file, cookie) lives under
one directory of the cloud's workdir; its AMQP, distribution and epmd ports
are free ports on 127.0.0.1, so it never meets a system broker.  As root,
the node runs as the ``rabbitmq`` user (Debian's wrapper does the same, and
the node cannot write what it does not own); otherwise as the caller.

epmd is started first, in the foreground, as a server of its own: the node
then uses it instead of forking a daemon that would outlive the cloud.
Readiness is an AMQP handshake (the broker's Connection.Start frame), which
needs no Erlang cookie.  ``stop()`` stops the process groups; the node's own
pid (its pid file) is signalled too in case it left its group.
"""

import glob
import os
import pwd
import shutil
import signal
import socket
import time

from tests.harness import procs

# Debian's, unless VBS_RABBITMQ_SERVER names another (tools/run-tests reads
# the same variable).
SERVER = os.environ.get('VBS_RABBITMQ_SERVER',
                        '/usr/lib/rabbitmq/bin/rabbitmq-server')
INSTALL_HINT = ('rabbitmq-server is not installed (as root: apt-get install '
                '-y rabbitmq-server); .ci/run installs it')
USER = 'rabbitmq'


def installed():
    return os.path.exists(SERVER) and bool(_epmd())


def _epmd():
    found = sorted(glob.glob('/usr/lib/erlang/erts-*/bin/epmd'))
    return found[-1] if found else shutil.which('epmd')


def _as_rabbitmq():
    """(uid, gid) to run as: the rabbitmq user when we are root."""
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam(USER)
    return entry.pw_uid, entry.pw_gid


class RabbitMQ(object):
    def __init__(self, workdir, detached=False):
        self.dir = os.path.join(workdir, 'rabbitmq')
        self.detached = detached
        self.port, self.dist_port, self.epmd_port = procs.free_ports(3)
        self.nodename = 'vbs%d@localhost' % self.port
        self.url = 'rabbit://guest:guest@127.0.0.1:%d/' % self.port
        self.pid_file = os.path.join(self.dir, 'rabbitmq.pid')
        self.log_path = os.path.join(self.dir, 'rabbitmq-server.out')
        self.epmd_log_path = os.path.join(self.dir, 'epmd.out')
        self.server = None
        self.epmd = None

    def _env(self):
        home = os.path.join(self.dir, 'home')
        conf = os.path.join(self.dir, 'rabbitmq')
        return {
            'PATH': os.environ.get('PATH', '/usr/sbin:/usr/bin:/sbin:/bin'),
            'LANG': 'C.UTF-8', 'HOME': home,
            'RABBITMQ_NODENAME': self.nodename,
            'RABBITMQ_NODE_IP_ADDRESS': '127.0.0.1',
            'RABBITMQ_NODE_PORT': str(self.port),
            'RABBITMQ_DIST_PORT': str(self.dist_port),
            'ERL_EPMD_PORT': str(self.epmd_port),
            'ERL_EPMD_ADDRESS': '127.0.0.1',
            'RABBITMQ_MNESIA_BASE': os.path.join(self.dir, 'mnesia'),
            'RABBITMQ_LOG_BASE': os.path.join(self.dir, 'log'),
            'RABBITMQ_PID_FILE': self.pid_file,
            'RABBITMQ_ENABLED_PLUGINS_FILE': os.path.join(self.dir,
                                                          'enabled_plugins'),
            'RABBITMQ_FEATURE_FLAGS_FILE': os.path.join(self.dir,
                                                        'feature_flags'),
            # The node appends '.conf'.
            'RABBITMQ_CONFIG_FILE': conf,
        }

    def configure(self):
        for sub in ('home', 'mnesia', 'log'):
            os.makedirs(os.path.join(self.dir, sub), exist_ok=True)
        with open(os.path.join(self.dir, 'enabled_plugins'), 'w') as fh:
            fh.write('[].\n')
        with open(os.path.join(self.dir, 'rabbitmq.conf'), 'w') as fh:
            fh.write('loopback_users.guest = true\n')
        ids = _as_rabbitmq()
        if ids is not None:
            for root, dirs, files in os.walk(self.dir):
                for name in [root] + [os.path.join(root, n)
                                      for n in dirs + files]:
                    os.chown(name, *ids)
            # The rabbitmq user must reach its directory: the workdir (made
            # 0700 by mkdtemp) gets search permission, not listing.
            workdir = os.path.dirname(self.dir)
            os.chmod(workdir, os.stat(workdir).st_mode | 0o111)

    def start(self):
        if not installed():
            raise RuntimeError(INSTALL_HINT)
        self.configure()
        ids = _as_rabbitmq()
        env = self._env()
        kwargs = {}
        if ids is not None:
            kwargs = {'user': ids[0], 'group': ids[1], 'extra_groups': []}
        self.epmd = procs.Server(
            'epmd', [_epmd(), '-port', str(self.epmd_port), '-address',
                     '127.0.0.1'],
            self.epmd_log_path, env=env, cwd=self.dir,
            detached=self.detached, **kwargs).start()
        self.server = procs.Server(
            'rabbitmq', [SERVER], self.log_path, env=env, cwd=self.dir,
            detached=self.detached, **kwargs).start()
        return self

    def wait(self, timeout=120):
        """Until the broker answers an AMQP handshake."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if not self.server.running():
                raise RuntimeError('rabbitmq-server exited with %s; log %s:'
                                   '\n%s' % (self.server.popen.returncode,
                                             self.log_path,
                                             procs.tail(self.log_path)))
            try:
                if _amqp_answers(self.port):
                    return
            except OSError as exc:
                last = exc
            time.sleep(0.2)
        raise RuntimeError('rabbitmq on port %d not ready within %ss (%s); '
                           'log %s:\n%s' % (self.port, timeout, last,
                                            self.log_path,
                                            procs.tail(self.log_path)))

    def node_pid(self):
        try:
            with open(self.pid_file) as fh:
                return int(fh.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def servers(self):
        return [s for s in (self.server, self.epmd) if s is not None]

    def stop(self):
        pid = self.node_pid()
        if pid and self.server and self.server.pid and (
                pid not in procs.group_members(self.server.pgid)
                and self.dir in procs.cmdline(pid)):
            try:  # the node left its group: stop it by its own pid
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for server in self.servers():
            server.stop()


def _amqp_answers(port):
    """True when the broker sends Connection.Start for a protocol header."""
    with socket.create_connection(('127.0.0.1', port), timeout=5) as sock:
        sock.sendall(b'AMQP\x00\x00\x09\x01')
        head = sock.recv(7)
    # A method frame (type 1) on channel 0.
    return len(head) == 7 and head[0] == 1 and head[1:3] == b'\x00\x00'
