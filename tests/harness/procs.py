"""Child processes that can always be stopped, free ports, readiness waits.

Every server starts in a new session, so it has its own process group whose
id is the server's pid; stopping sends SIGTERM to the whole group (the
server's forked workers included), then SIGKILL to whatever is left.

Unless started ``detached``, a server also gets SIGTERM from the kernel when
the process that started it dies (``PR_SET_PDEATHSIG``), so even a test run
killed with SIGKILL leaves nothing behind.
"""

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

_PR_SET_PDEATHSIG = 1
try:
    _LIBC = ctypes.CDLL(None, use_errno=True)
    _LIBC.prctl  # noqa: B018 - make sure the symbol exists
except (OSError, AttributeError):  # not Linux
    _LIBC = None


def free_port(host='127.0.0.1'):
    """A port that the OS says is free on ``host`` right now."""
    return free_ports(1, host)[0]


def free_ports(n, host='127.0.0.1'):
    """``n`` distinct ports free on ``host`` now (all held while chosen)."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket(socket.AF_INET,
                                                   socket.SOCK_STREAM))
                 for _ in range(n)]
        for sock in socks:
            sock.bind((host, 0))
        return [sock.getsockname()[1] for sock in socks]


def _preexec_die_with_parent(parent_pid):
    def preexec():
        if _LIBC is not None:
            _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent_pid:  # parent died before prctl
            os._exit(1)
    return preexec


def _proc_stat(pid):
    """(state, pgrp) of a pid from /proc, or None when it is gone."""
    try:
        with open('/proc/%d/stat' % pid, 'rb') as fh:
            data = fh.read().decode('ascii', 'replace')
    except OSError:
        return None
    rest = data[data.rfind(')') + 2:].split()
    return rest[0], int(rest[2])


def cmdline(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as fh:
            return fh.read().replace(b'\0', b' ').decode('utf-8', 'replace')
    except OSError:
        return ''


def group_members(pgid, include_zombies=False):
    """Pids whose process group is ``pgid``."""
    members = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        stat = _proc_stat(int(entry))
        if stat is None or stat[1] != pgid:
            continue
        if stat[0] == 'Z' and not include_zombies:
            continue
        members.append(int(entry))
    return members


def kill_group(pgid, timeout=10.0, popen=None):
    """SIGTERM the group, wait up to ``timeout`` s, then SIGKILL it.

    ``popen`` (the leader's Popen, when we are its parent) is reaped so no
    zombie remains.  Returns once no live process of the group is left.
    """
    def signal_group(sig):
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def reap():
        if popen is not None:
            popen.poll()

    reap()
    if group_members(pgid):
        signal_group(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reap()
            if not group_members(pgid):
                break
            time.sleep(0.1)
    if group_members(pgid):
        signal_group(signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and group_members(pgid):
            reap()
            time.sleep(0.05)
    if popen is not None:
        try:
            popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


class Server(object):
    """One long-running child process in its own process group."""

    def __init__(self, name, argv, log_path, env=None, cwd=None,
                 detached=False, **popen_kwargs):
        # popen_kwargs: e.g. user/group, to drop root for one server.
        self.popen_kwargs = popen_kwargs
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.env = env
        self.cwd = cwd
        self.detached = detached
        self.popen = None
        self.pid = None

    def start(self):
        preexec = None
        if not self.detached:
            preexec = _preexec_die_with_parent(os.getpid())
        with open(self.log_path, 'ab') as log:
            self.popen = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, env=self.env, cwd=self.cwd,
                start_new_session=True, preexec_fn=preexec, close_fds=True,
                **self.popen_kwargs)
        self.pid = self.popen.pid
        return self

    @property
    def pgid(self):
        return self.pid

    def running(self):
        return self.popen is not None and self.popen.poll() is None

    def stop(self, timeout=10.0):
        if self.pid is None:
            return
        kill_group(self.pgid, timeout=timeout, popen=self.popen)

    def state(self, token):
        """What a later process needs to stop this server safely."""
        return {'name': self.name, 'pid': self.pid, 'pgid': self.pgid,
                'token': token}


def stop_recorded(entry, timeout=10.0):
    """Stop a server recorded by ``Server.state`` in another process.

    Only processes of the recorded group whose command line contains the
    recorded token (a path unique to that cloud) are treated as ours, so a
    recycled pid is never killed by mistake.
    """
    pgid, token = entry['pgid'], entry['token']
    ours = [pid for pid in group_members(pgid) if token in cmdline(pid)]
    if ours:
        kill_group(pgid, timeout=timeout)


def recorded_alive(entry):
    return any(entry['token'] in cmdline(pid)
               for pid in group_members(entry['pgid']))


def tail(path, lines=40):
    try:
        with open(path, 'rb') as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 16384))
            data = fh.read().decode('utf-8', 'replace')
    except OSError:
        return '(no log at %s)' % path
    return '\n'.join(data.splitlines()[-lines:])


def wait_http(url, server=None, timeout=120.0):
    """Wait until ``url`` gives any HTTP answer.

    Fails early if ``server`` dies.
    """
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if server is not None and not server.running():
            raise RuntimeError('%s exited with %s before answering; '
                               'log %s:\n%s'
                               % (server.name, server.popen.returncode,
                                  server.log_path, tail(server.log_path)))
        try:
            with opener.open(url, timeout=5) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (urllib.error.URLError, OSError) as exc:
            last = exc
        time.sleep(0.2)
    log = ''
    if server is not None:
        log = '; log %s:\n%s' % (server.log_path, tail(server.log_path))
    raise RuntimeError('%s did not answer within %ss (%s)%s'
                       % (url, timeout, last, log))


def run_logged(argv, log_path, env=None, timeout=600):
    """Start a setup command; its ``wait()`` raises on failure.

    The error carries the tail of the command's log.
    """
    with open(log_path, 'ab') as log:
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, env=env,
            preexec_fn=_preexec_die_with_parent(os.getpid()))
    return _Pending(proc, argv, log_path, timeout)


class _Pending(object):
    """A setup command started by ``run_logged``; ``wait()`` to collect it."""

    def __init__(self, proc, argv, log_path, timeout):
        self.proc, self.argv, self.log_path = proc, argv, log_path
        self.deadline = time.monotonic() + timeout

    def wait(self):
        try:
            rc = self.proc.wait(timeout=max(1, self.deadline -
                                            time.monotonic()))
        except subprocess.TimeoutExpired:
            self.kill()
            raise RuntimeError('%s timed out; log %s:\n%s'
                               % (' '.join(self.argv), self.log_path,
                                  tail(self.log_path)))
        if rc != 0:
            raise RuntimeError('%s failed with %s; log %s:\n%s'
                               % (' '.join(self.argv), rc, self.log_path,
                                  tail(self.log_path)))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
