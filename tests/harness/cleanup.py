"""Process-wide cleanup: live LocalClouds stopped at exit and on signals.

Also each cloud's temporary workdir, marked with its owner process, and the
removal of those whose owner is gone.
"""

import atexit
import os
import shutil
import signal
import sys
import tempfile
import threading

_LIVE = set()
_LIVE_LOCK = threading.RLock()
_HOOKS_INSTALLED = False


def _cleanup_all():
    with _LIVE_LOCK:
        clouds = list(_LIVE)
    for item in clouds:
        try:
            item.stop()
        except Exception as exc:  # keep stopping the others
            sys.stderr.write('vbs harness: stopping %r failed: %s\n'
                             % (item, exc))


def _chain_handler(signum, previous):
    def handler(sig, frame):
        _cleanup_all()
        if previous is signal.SIG_IGN:
            return
        if callable(previous):
            return previous(sig, frame)
        # SIG_DFL (or unknown): die of the same signal, as if not caught.
        signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
    return handler


def _install_hooks():
    global _HOOKS_INSTALLED
    with _LIVE_LOCK:
        if _HOOKS_INSTALLED:
            return
        _HOOKS_INSTALLED = True
        atexit.register(_cleanup_all)
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous = signal.getsignal(signum)
                if previous is None:  # set from C; leave it alone
                    continue
                signal.signal(signum, _chain_handler(signum, previous))


def track(cloud):
    """Stop ``cloud`` at exit and on SIGTERM/SIGINT until ``untrack()``."""
    _install_hooks()
    with _LIVE_LOCK:
        _LIVE.add(cloud)


def untrack(cloud):
    with _LIVE_LOCK:
        _LIVE.discard(cloud)


TEMP_PREFIX = 'vbs-local-cloud-'
OWNER_FILE = '.owner'


def _process_start(pid):
    """Start time of ``pid`` (clock ticks since boot), or None."""
    try:
        with open('/proc/%d/stat' % pid) as fh:
            data = fh.read()
    except OSError:
        return None
    return data[data.rfind(')') + 2:].split()[19]


def _remove_stale_workdirs():
    """Remove temp workdirs whose owning process is gone.

    A test run killed with SIGKILL cannot clean up: its servers die with it
    through PR_SET_PDEATHSIG, its temp dir is removed here by the next run.
    """
    base = tempfile.gettempdir()
    try:
        names = os.listdir(base)
    except OSError:
        return
    for name in names:
        if not name.startswith(TEMP_PREFIX):
            continue
        path = os.path.join(base, name)
        try:
            with open(os.path.join(path, OWNER_FILE)) as fh:
                pid_text, start = fh.read().split()
        except (OSError, ValueError):
            continue
        if _process_start(int(pid_text)) != start:
            shutil.rmtree(path, ignore_errors=True)


def new_workdir():
    """A new temp workdir, marked as this process's (stale ones removed)."""
    _remove_stale_workdirs()
    workdir = tempfile.mkdtemp(prefix=TEMP_PREFIX)
    with open(os.path.join(workdir, OWNER_FILE), 'w') as fh:
        fh.write('%d %s\n'
                 % (os.getpid(), _process_start(os.getpid())))
    return workdir
