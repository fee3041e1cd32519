"""LocalCloud: a real Keystone and Cinder API on loopback, for tests.

    from tests.harness import cloud
    c = cloud.shared_cloud()            # or cloud.LocalCloud().start()
    rows = c.seed_backups(7)
    status, headers, body = c.api_get(
        '/v3/%s/backups/detail?with_count=true' % c.member.project_id,
        microversion='3.45')

Everything a LocalCloud starts runs in its own process group and is stopped
by ``stop()``, at interpreter exit, on SIGTERM/SIGINT (``cleanup``), and
(through PR_SET_PDEATHSIG) when the test process dies without a chance to
clean up.  A cloud made with ``detachable=True`` can instead be handed over
with ``detach()``/``state()`` and stopped later with
``LocalCloud.from_state()`` (``handover``).

This module starts and stops the servers; the rest of LocalCloud is in
mixins, one job each: ``identitycloud`` (users, tokens, catalog),
``apicloud`` (cinder-api calls, extra APIs, request logs), ``seedcloud``
(rows in Cinder's database), ``frontcloud`` (HTTP(S) fronts),
``cloudsyaml`` (clouds.yaml entries), ``handover`` and ``backupcloud``
(RabbitMQ and cinder-backup).
"""

import os
import secrets
import shutil
import signal
import sys
import threading
import time

from tests.harness import apicloud
from tests.harness import backupcloud
from tests.harness import cinder as cinder_mod
from tests.harness import cleanup
from tests.harness import cloudsyaml
from tests.harness import frontcloud
from tests.harness import handover
from tests.harness import identitycloud
from tests.harness import install
from tests.harness import keystone as keystone_mod
from tests.harness import procs
from tests.harness import seedcloud

# Callers name these as cloud.X.
Credentials = identitycloud.Credentials
MEMBER_PROJECT = identitycloud.MEMBER_PROJECT
REGION = identitycloud.REGION


def _quiet(_msg):
    pass


def _stderr_log(msg):
    sys.stderr.write('vbs harness: %s\n' % msg)
    sys.stderr.flush()


def _default_log():
    return _stderr_log if os.environ.get('VBS_HARNESS_VERBOSE') else _quiet


class LocalCloud(identitycloud.IdentityMixin, apicloud.ApiMixin,
                 seedcloud.SeedMixin, frontcloud.FrontMixin,
                 cloudsyaml.CloudsYamlMixin, handover.HandoverMixin,
                 backupcloud.BackupServiceMixin):
    """Keystone + Cinder API (+ extra Cinder APIs, + a backup service)."""

    def __init__(self, workdir=None, osapi_max_limit=1000, detachable=False,
                 log=None, backup_service=False, project_ids=None):
        self._own_workdir = workdir is None
        if workdir is None:
            workdir = cleanup.new_workdir()
        self.workdir = os.path.abspath(workdir)
        self.osapi_max_limit = osapi_max_limit
        self.detachable = detachable
        self.log = log or _default_log()
        self.keystone = None
        self.cinder = None
        self.extra_cinders = []
        self.backup_service = backup_service
        # {project name: id}: these projects get these ids (stable docs).
        self.project_ids = dict(project_ids or {})
        self.rabbit = None
        self.cinder_backup = None
        self.fronts = []
        self.keystone_url = None
        self.cinder_url = None
        self.cinder_db_path = os.path.join(self.workdir, 'cinder.sqlite')
        self.cinder_log_path = None
        self.admin = None
        self.member = None
        self.catalog = {}
        self._service_password = None
        self._venvs = {}
        self._pending = []
        self._tokens = {}
        self._recorded = None  # servers recorded by another process
        self._started = False
        self._stopped = False
        self._lock = threading.RLock()

    def __repr__(self):
        return '<LocalCloud %s keystone=%s cinder=%s>' % (
            self.workdir, self.keystone_url, self.cinder_url)

    # -- lifecycle ----------------------------------------------------------
    def start(self):
        """Start Keystone and the Cinder API; return ``self`` once both answer.

        Installs the venvs if needed, configures, bootstraps.
        """
        with self._lock:
            if self._recorded is not None:
                raise RuntimeError('a cloud loaded from a state file cannot '
                                   'be started again')
            if self._started:
                return self
            if self._stopped:
                raise RuntimeError('this LocalCloud was stopped')
            self._started = True
            cleanup.track(self)
            try:
                self._start()
            except BaseException:
                self.stop()
                raise
            return self

    def _start(self):
        t0 = time.monotonic()
        os.makedirs(self.workdir, exist_ok=True)
        self._install_venvs()

        ks_port, cinder_port = procs.free_ports(2)
        admin_password = secrets.token_urlsafe(12)
        self._service_password = secrets.token_urlsafe(12)
        ks = keystone_mod.Keystone(self._venvs['keystone'], self.workdir,
                                   ks_port, admin_password,
                                   detached=self.detachable)
        self.keystone = ks
        self.keystone_url = ks.url
        ks.configure()
        if self.backup_service:
            self._start_rabbit()  # boots while the databases are set up
        api = self._new_cinder('cinder', cinder_port, self.osapi_max_limit,
                               **self._backup_conf())
        self.cinder = api
        self.cinder_url = api.url
        self.cinder_log_path = api.log_path

        self.log('setting up keystone and cinder databases in %s'
                 % self.workdir)
        ks_setup = ks.start_setup()
        cinder_sync = api.db_sync()
        self._pending = ks_setup + [cinder_sync]
        for pending in ks_setup:
            pending.wait()
        bootstrap = ks.bootstrap()
        self._pending.append(bootstrap)
        bootstrap.wait()
        ks.start()
        cinder_sync.wait()
        self._pending = []
        api.start()

        ks.wait()
        self._bootstrap_identity(admin_password)
        self.set_catalog(vbs=True, block_storage=True)
        api.wait()
        if self.backup_service:
            self.start_backup_service()
        self.log('keystone %s and cinder %s%s up in %.1fs'
                 % (self.keystone_url, self.cinder_url,
                    ' with cinder-backup' if self.backup_service else '',
                    time.monotonic() - t0))

    def _install_venvs(self):
        errors = []

        def work(key, spec):
            try:
                self._venvs[key] = install.ensure_venv(spec, log=self.log)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=args, daemon=True)
                   for args in (('keystone', install.KEYSTONE),
                                ('cinder', install.CINDER))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def _new_cinder(self, name, port, osapi_max_limit, workers=1, **kwargs):
        api = cinder_mod.CinderApi(
            self._venvs['cinder'], self.workdir, name, port,
            self.cinder_db_path, self.keystone_url, self._service_password,
            osapi_max_limit=osapi_max_limit, workers=workers,
            detached=self.detachable, **kwargs)
        api.configure()
        return api

    def stop(self):
        """Stop every process this cloud started (idempotent)."""
        with self._lock:
            self._stopped = True
            cleanup.untrack(self)
            for pending in self._pending:
                pending.kill()
            self._pending = []
            for item in self.fronts:
                item.stop()
            if self._recorded is not None:
                for entry in self._recorded:
                    procs.stop_recorded(entry)
                self._recorded = []
            servers = [s for s in self._servers() if s.pid is not None]
            for server in servers:  # SIGTERM all groups at once ...
                try:
                    os.killpg(server.pgid, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    pass
            for server in servers:  # ... then wait for (or SIGKILL) each
                server.stop()
            if (self._own_workdir and os.path.isdir(self.workdir)
                    and not os.environ.get('VBS_HARNESS_KEEP_WORKDIR')):
                shutil.rmtree(self.workdir, ignore_errors=True)

    def _servers(self):
        apis = [self.cinder] + self.extra_cinders
        servers = [a.server for a in apis if a is not None and a.server]
        if self.keystone is not None and self.keystone.server is not None:
            servers.append(self.keystone.server)
        return servers + self._backup_servers()

    def running(self):
        """True while every server of this cloud is alive."""
        if self._recorded is not None:
            return bool(self._recorded) and all(
                procs.recorded_alive(e) for e in self._recorded)
        servers = self._servers()
        return bool(servers) and all(s.running() for s in servers)


_SHARED = None
_SHARED_ERROR = None
_SHARED_LOCK = threading.Lock()


def shared_cloud():
    """The per-process LocalCloud: started on first call, stopped at exit.

    If it failed to start once, later calls fail at once with that error
    instead of trying again for every test.
    """
    global _SHARED, _SHARED_ERROR
    with _SHARED_LOCK:
        if _SHARED_ERROR is not None:
            raise RuntimeError('the shared local cloud failed to start: %s'
                               % _SHARED_ERROR) from _SHARED_ERROR
        if _SHARED is not None and _SHARED._stopped:
            raise RuntimeError('the shared local cloud was stopped '
                               '(interrupted?)')
        if _SHARED is None:
            candidate = LocalCloud()
            try:
                candidate.start()
            except Exception as exc:
                _SHARED_ERROR = exc
                raise
            _SHARED = candidate
        return _SHARED
