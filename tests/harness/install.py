"""The server virtualenvs: one per pinned package, created once and reused.

Each venv lives at ``<cache root>/<pkg>-<version>`` and is built with the
system ``python3``.  A marker file is written only after a successful
install, so an interrupted install is thrown away and redone next time.  A
venv without the marker (for instance made by hand) is adopted when its
interpreter reports exactly the pinned versions and imports what the harness
needs.  An exclusive file lock keeps concurrent test processes from building
the same venv twice.

Every package of a venv is pinned by ``constraints/<pkg>-<version>.txt``
(``pip freeze`` of a venv that passed the functional tier): a release of
one of the servers' dependencies does not change a new machine's servers.
"""

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time

CINDER = ('cinder', '29.0.0', (), ('cinder.cmd.api', 'cinder.cmd.manage',
                                   'keystonemiddleware.auth_token'))
KEYSTONE = ('keystone', '30.0.0', ('gunicorn==27.0.1',),
            ('keystone.cmd.manage', 'keystone.server.wsgi', 'gunicorn',
             'yaml'))

MARKER = '.vbs-harness-complete'
INSTALL_TIMEOUT = 1800


def cache_root():
    root = os.environ.get('VBS_HARNESS_CACHE')
    if not root:
        root = os.path.join(os.path.expanduser('~'), '.cache',
                            'python-vbsclient')
    return root


def base_python():
    """The interpreter used to create venvs: the system ``python3``."""
    explicit = os.environ.get('VBS_HARNESS_PYTHON')
    if explicit:
        return explicit
    found = shutil.which('python3')
    return found or sys.executable


def clean_env(extra=None):
    """Environment for server-side subprocesses.

    Drops what would make a venv interpreter import the wrong code
    (PYTHONPATH, VIRTUAL_ENV), OpenStack client settings (OS_*), and proxies
    (all traffic here is loopback).
    """
    env = {}
    for key, value in os.environ.items():
        upper = key.upper()
        if upper.startswith('OS_') or upper in (
                'PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV', 'PYTHONSTARTUP'):
            continue
        if upper in ('HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY'):
            continue
        env[key] = value
    env['NO_PROXY'] = env['no_proxy'] = '127.0.0.1,localhost'
    env['PYTHONDONTWRITEBYTECODE'] = '1'
    if extra:
        env.update(extra)
    return env


@contextlib.contextmanager
def _locked(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'a+') as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def constraints_file(spec):
    """The pins of every package in ``spec``'s venv."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'constraints', '%s-%s.txt' % spec[:2])


def _requirements(spec):
    name, version, extras, _ = spec
    return ['%s==%s' % (name, version)] + list(extras)


def _marker_payload(spec):
    return {'requirements': _requirements(spec)}


_CHECK_SCRIPT = r'''
import importlib, importlib.metadata as md, json, sys
pins, modules = json.loads(sys.argv[1])
for req in pins:
    name, version = req.split('==')
    have = md.version(name)
    if have != version:
        sys.exit('%s is %s, want %s' % (name, have, version))
for mod in modules:
    importlib.import_module(mod)
'''


def _verify(venv, spec):
    python = os.path.join(venv, 'bin', 'python')
    if not os.path.exists(python):
        return False
    arg = json.dumps([_requirements(spec), list(spec[3])])
    proc = subprocess.run([python, '-c', _CHECK_SCRIPT, arg],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          env=clean_env(), timeout=300)
    return proc.returncode == 0


def _read_marker(venv):
    try:
        with open(os.path.join(venv, MARKER)) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def _write_marker(venv, spec):
    tmp = os.path.join(venv, MARKER + '.tmp')
    with open(tmp, 'w') as fh:
        json.dump(_marker_payload(spec), fh)
    os.replace(tmp, os.path.join(venv, MARKER))


def _install(venv, spec, log_path):
    if os.path.exists(venv):
        shutil.rmtree(venv)
    with open(log_path, 'w') as log:
        def run(argv):
            log.write('$ %s\n' % ' '.join(argv))
            log.flush()
            subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, env=clean_env(),
                           timeout=INSTALL_TIMEOUT, check=True)
        run([base_python(), '-m', 'venv', venv])
        run([os.path.join(venv, 'bin', 'python'), '-m', 'pip', 'install',
             '--no-input', '-c', constraints_file(spec)] +
            _requirements(spec))


def ensure_venv(spec, log=None):
    """Return the path of the venv for ``spec``, installing it if needed.

    ``spec`` is ``CINDER`` or ``KEYSTONE``.  ``log`` is an optional callable
    for progress messages.
    """
    name, version = spec[0], spec[1]
    root = cache_root()
    venv = os.path.join(root, '%s-%s' % (name, version))
    with _locked(os.path.join(root, '.%s-%s.lock' % (name, version))):
        if (_read_marker(venv) == _marker_payload(spec)
                and os.path.exists(os.path.join(venv, 'bin', 'python'))):
            return venv
        if os.path.isdir(venv) and _verify(venv, spec):
            _write_marker(venv, spec)
            return venv
        log_path = os.path.join(root, '%s-%s.install.log' % (name, version))
        if log:
            log('installing %s into %s (log: %s)'
                % (' '.join(_requirements(spec)), venv, log_path))
        started = time.monotonic()
        try:
            _install(venv, spec, log_path)
        except (subprocess.CalledProcessError,
                subprocess.TimeoutExpired) as exc:
            raise RuntimeError('installing %s failed (%s); see %s'
                               % (name, exc, log_path)) from exc
        if not _verify(venv, spec):
            raise RuntimeError('%s installed but does not import; see %s'
                               % (venv, log_path))
        _write_marker(venv, spec)
        if log:
            log('installed %s in %.0fs' % (name, time.monotonic() - started))
        return venv


def bin_path(venv, tool):
    return os.path.join(venv, 'bin', tool)
