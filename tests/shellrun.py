"""Runs the ``openstack`` shell in-process or as a subprocess, capturing it."""

import io
import os
import subprocess
import sys

import fixtures
from openstackclient import shell
from osc_lib import clientmanager


def openstack_command():
    """The ``openstack`` script of the environment running the tests."""
    return os.path.join(os.path.dirname(sys.executable), 'openstack')


# A child inherits an ignored SIGINT (nohup, "&" in a non-interactive
# shell, some CI runners), and Python then leaves it ignored: Ctrl-C tests
# would wait for nothing.  The child execs with SIGINT at its default, so
# Python installs its KeyboardInterrupt handler.  A trampoline rather than
# preexec_fn, which is not safe with the test servers' threads running.
_SIGINT_DEFAULT = ('import os, signal, sys; '
                   'signal.signal(signal.SIGINT, signal.SIG_DFL); '
                   'os.execv(sys.argv[1], sys.argv[1:])')


def popen_interruptible(argv, **kwargs):
    """``subprocess.Popen(argv)`` that stops on SIGINT however we started."""
    return subprocess.Popen([sys.executable, '-c', _SIGINT_DEFAULT] + argv,
                            **kwargs)


class ShellFixtureMixin:
    """Shell runners for testtools test cases.

    run_shell() runs in-process, run_cli() as a subprocess; both return
    (exit status, stdout, stderr).
    """

    CLEAN_ENV = ('OS_VBS_BACKUP_API_VERSION', 'OS_VBS_ENDPOINT_OVERRIDE',
                 'OS_VBS_TIMEOUT', 'OS_VBS_TIMEOUT_SECONDS', 'OS_CLOUD',
                 'OS_AUTH_URL', 'OS_TOKEN', 'OS_ENDPOINT', 'OS_AUTH_TYPE',
                 'OS_VBS_API_VERSION', 'OS_VBS_PAGE_CONCURRENCY')

    def clean_os_environment(self):
        for name in self.CLEAN_ENV:
            self.useFixture(fixtures.EnvironmentVariable(name))

    def run_shell(self, *args):
        # OSC caches each plugin's client on the class: one per process,
        # which is one per command outside of tests.
        cache = vars(clientmanager.ClientManager).get('vbs')
        if cache is not None:
            cache._handle = None
        out, err = io.StringIO(), io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', out))
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', err))
        try:
            rc = shell.main(list(args))
        except SystemExit as e:
            rc = e.code
        return rc, out.getvalue(), err.getvalue()

    def run_cli(self, *args, env=None, timeout=300, cwd=None):
        full_env = {k: v for k, v in os.environ.items()
                    if k not in self.CLEAN_ENV}
        full_env.update(env or {})
        proc = subprocess.run([openstack_command()] + list(args),
                              capture_output=True, text=True, env=full_env,
                              timeout=timeout, stdin=subprocess.DEVNULL,
                              cwd=cwd)
        return proc.returncode, proc.stdout, proc.stderr
