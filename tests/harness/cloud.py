"""LocalCloud: a real Keystone and Cinder API on loopback, for tests.

    from tests.harness import cloud
    c = cloud.shared_cloud()            # or cloud.LocalCloud().start()
    rows = c.seed_backups(7)
    status, headers, body = c.api_get(
        '/v3/%s/backups/detail?with_count=true' % c.member.project_id,
        microversion='3.45')

Everything a LocalCloud starts runs in its own process group and is stopped
by ``stop()``, at interpreter exit, on SIGTERM/SIGINT, and (through
PR_SET_PDEATHSIG) when the test process dies without a chance to clean up.
A cloud made with ``detachable=True`` can instead be handed over with
``detach()``/``state()`` and stopped later with ``LocalCloud.from_state()``.
"""

import atexit
import dataclasses
import datetime
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time

from tests.harness import backupcloud
from tests.harness import cinder as cinder_mod
from tests.harness import cloudsyaml
from tests.harness import front as front_mod
from tests.harness import httpjson
from tests.harness import install
from tests.harness import keystone as keystone_mod
from tests.harness import procs
from tests.harness import seed as seed_mod
from tests.harness import tlscerts

MEMBER_PROJECT = 'vbs-member-project'
MEMBER_USER = 'vbs-member'
SERVICE_PROJECT = 'service'
SERVICE_USER = 'cinder'
REGION = keystone_mod.REGION
STATE_VERSION = 1


@dataclasses.dataclass
class Credentials(object):
    """A user able to get a project-scoped token."""

    username: str
    password: str
    project_name: str
    project_id: str
    user_id: str
    user_domain_name: str = 'Default'
    project_domain_name: str = 'Default'

    def as_dict(self):
        return dataclasses.asdict(self)


# -- process-wide cleanup -------------------------------------------------

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


def _quiet(_msg):
    pass


def _stderr_log(msg):
    sys.stderr.write('vbs harness: %s\n' % msg)
    sys.stderr.flush()


def _default_log():
    return _stderr_log if os.environ.get('VBS_HARNESS_VERBOSE') else _quiet


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


class LocalCloud(backupcloud.BackupServiceMixin):
    """Keystone + Cinder API (+ extra Cinder APIs, + a backup service)."""

    def __init__(self, workdir=None, osapi_max_limit=1000, detachable=False,
                 log=None, backup_service=False, project_ids=None):
        self._own_workdir = workdir is None
        if workdir is None:
            _remove_stale_workdirs()
            workdir = tempfile.mkdtemp(prefix=TEMP_PREFIX)
            with open(os.path.join(workdir, OWNER_FILE), 'w') as fh:
                fh.write('%d %s\n'
                         % (os.getpid(), _process_start(os.getpid())))
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
            _install_hooks()
            with _LIVE_LOCK:
                _LIVE.add(self)
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

    def _bootstrap_identity(self, admin_password):
        token, body = keystone_mod.password_token(
            self.keystone_url, 'admin', admin_password, project_name='admin')
        admin = keystone_mod.Admin(self.keystone_url, token)
        self.admin = Credentials(
            username='admin', password=admin_password,
            project_name='admin', project_id=body['project']['id'],
            user_id=body['user']['id'])
        self._remember_token('admin', token, body)

        member_password = secrets.token_urlsafe(12)
        member_project = self.ensure_project(MEMBER_PROJECT)
        member_user = admin.ensure_user(MEMBER_USER, member_password,
                                        member_project)
        admin.grant(member_project, member_user, 'member')
        self.member = Credentials(
            username=MEMBER_USER, password=member_password,
            project_name=MEMBER_PROJECT, project_id=member_project,
            user_id=member_user)

        service_project = admin.ensure_project(SERVICE_PROJECT)
        service_user = admin.ensure_user(SERVICE_USER,
                                         self._service_password,
                                         service_project)
        admin.grant(service_project, service_user, 'admin')

    def stop(self):
        """Stop every process this cloud started (idempotent)."""
        with self._lock:
            self._stopped = True
            with _LIVE_LOCK:
                _LIVE.discard(self)
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

    # -- handing over to another process (tools/local-cloud) ---------------
    def state(self):
        """JSON-able description: URLs, credentials, process groups."""
        servers = []
        if self._recorded is not None:
            servers = list(self._recorded)
        else:
            for api in [self.cinder] + self.extra_cinders:
                if api is not None and api.server is not None:
                    servers.append(api.server.state(api.conf_path))
            if self.keystone is not None and self.keystone.server:
                servers.append(self.keystone.server.state(
                    'keystone-' + self.keystone.dir))
            servers.extend(self._backup_state())
        return {
            'version': STATE_VERSION,
            'workdir': self.workdir,
            'keystone_url': self.keystone_url,
            'cinder_url': self.cinder_url,
            'cinder_db_path': self.cinder_db_path,
            'cinder_log_path': self.cinder_log_path,
            'osapi_max_limit': self.osapi_max_limit,
            'keystone_venv': self._venvs.get('keystone'),
            'cinder_venv': self._venvs.get('cinder'),
            'admin': self.admin.as_dict() if self.admin else None,
            'member': self.member.as_dict() if self.member else None,
            'extra_cinders': [{'url': a.url, 'log_path': a.log_path}
                              for a in self.extra_cinders],
            'servers': servers,
        }

    def detach(self):
        """Leave the servers running after this process exits.

        Returns ``state()``.  Only for clouds made with ``detachable=True``
        (others are tied to this process by PR_SET_PDEATHSIG).
        """
        if not self.detachable:
            raise RuntimeError('LocalCloud(detachable=True) is needed to '
                               'detach')
        with self._lock:
            with _LIVE_LOCK:
                _LIVE.discard(self)
            return self.state()

    @classmethod
    def from_state(cls, state):
        """A handle on a cloud started (and detached) by another process.

        Usable for seeding, tokens, API calls and ``stop()``.
        """
        if state.get('version') != STATE_VERSION:
            raise RuntimeError('unknown state version %r'
                               % state.get('version'))
        self = cls(workdir=state['workdir'],
                   osapi_max_limit=state['osapi_max_limit'])
        self._own_workdir = False
        self._recorded = list(state['servers'])
        self._started = True
        self.keystone_url = state['keystone_url']
        self.cinder_url = state['cinder_url']
        self.cinder_db_path = state['cinder_db_path']
        self.cinder_log_path = state['cinder_log_path']
        self._venvs = {k: state.get(k + '_venv')
                       for k in ('keystone', 'cinder')}
        if state.get('admin'):
            self.admin = Credentials(**state['admin'])
        if state.get('member'):
            self.member = Credentials(**state['member'])
        return self

    # -- extra Cinder API processes ----------------------------------------
    def start_extra_cinder(self, osapi_max_limit=5, workers=1):
        """Start another cinder-api on the same database; return its URL.

        The URL is the server root.  ``workers`` is its
        ``osapi_volume_workers`` (processes serving requests in parallel).
        Stopped by ``stop()``.
        """
        with self._lock:
            if not self._started or self._recorded is not None:
                raise RuntimeError('start() the cloud first')
            name = 'cinder-extra-%d' % (len(self.extra_cinders) + 1)
            api = self._new_cinder(name, procs.free_port(), osapi_max_limit,
                                   workers)
            self.extra_cinders.append(api)
            api.start()
            api.wait()
            return api.url

    def _api_for(self, url=None):
        for api in [self.cinder] + self.extra_cinders:
            if api is not None and (url is None or api.url == url.rstrip('/')):
                return api
        raise LookupError('no cinder-api at %s' % url)

    def cinder_log_offset(self, url=None):
        """Current size of a cinder-api log, to pass as ``since`` later."""
        if self._recorded is not None:
            return os.path.getsize(self.cinder_log_path)
        return self._api_for(url).log_offset()

    def cinder_requests(self, since=0, url=None):
        """Requests that reached a cinder-api, parsed from its log.

        The main cinder-api unless ``url`` names an extra one.  Dicts with
        method, path, query, params, status, seconds, bytes (of the
        response body), line; ``since`` is a byte
        offset from ``cinder_log_offset()``.
        """
        if self._recorded is not None:
            return cinder_mod.parse_requests(self.cinder_log_path, since)
        return self._api_for(url).requests(since)

    # -- keystone -----------------------------------------------------------
    def _creds(self, user):
        if user in ('member', MEMBER_USER):
            return 'member', self.member
        if user == 'admin':
            return 'admin', self.admin
        raise ValueError('user must be "member" or "admin", not %r' % user)

    def _remember_token(self, key, token, body):
        expires = None
        try:
            expires = datetime.datetime.strptime(
                body['expires_at'][:19], '%Y-%m-%dT%H:%M:%S')
        except (KeyError, ValueError):
            pass
        self._tokens[key] = (token, expires)

    def token(self, user='member'):
        """A project-scoped Keystone token for 'member' or 'admin'.

        Cached until 10 minutes before it expires.
        """
        key, creds = self._creds(user)
        cached = self._tokens.get(key)
        now = datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None)
        if cached and (cached[1] is None or
                       cached[1] - now > datetime.timedelta(minutes=10)):
            return cached[0]
        token, body = keystone_mod.password_token(
            self.keystone_url, creds.username, creds.password,
            project_id=creds.project_id,
            user_domain_name=creds.user_domain_name)
        self._remember_token(key, token, body)
        return token

    def keystone_admin(self):
        """``keystone.Admin`` client authenticated as the cloud's admin."""
        return keystone_mod.Admin(self.keystone_url, self.token('admin'))

    def ensure_project(self, name):
        """Id of project ``name`` (created when missing).

        With the id ``project_ids`` gives it, if it has one.
        """
        if name in self.project_ids:
            keystone_mod.insert_project(self.keystone.db_path, name,
                                        self.project_ids[name])
        return self.keystone_admin().ensure_project(name)

    def set_catalog(self, vbs=False, block_storage=True):
        """Make the catalog hold exactly the services asked for.

        ``block_storage``: service type 'block-storage', endpoints
        ``<cinder>/v3/$(project_id)s``; ``vbs``: type 'vbs', endpoints
        ``<cinder>/v2/$(project_id)s`` (the same server).  Region RegionOne,
        interfaces public, internal and admin.  Idempotent.  ``start()``
        sets both.
        """
        admin = self.keystone_admin()
        wanted = (('block-storage', 'cinderv3', '/v3/$(project_id)s',
                   block_storage),
                  ('vbs', 'vbs', '/v2/$(project_id)s', vbs))
        for service_type, name, suffix, keep in wanted:
            if keep:
                service_id = admin.ensure_service(service_type, name)
                admin.set_endpoints(service_id, self.cinder_url + suffix)
            else:
                admin.delete_services(service_type)
        self.catalog = {'vbs': bool(vbs), 'block_storage': bool(block_storage)}

    # -- fronts (HTTPS, hooks, delays) --------------------------------------
    def tls_certs(self):
        """The test certificates, made once under ``<workdir>/tls``."""
        return tlscerts.make(os.path.join(self.workdir, 'tls'))

    def start_front(self, backend='cinder', tls=True, untrusted=False,
                    client_ca=False, require_client_cert=False, before=None):
        """Start a ``front.Front`` before 'keystone' or 'cinder'; return it.

        ``tls``: HTTPS with the server certificate of ``tls_certs()``
        (``untrusted``: the one signed by the untrusted CA); ``client_ca``:
        ask for a client certificate signed by the test CA.  For Keystone
        the auth URL is ``front.url + '/v3'``.  Stopped by ``stop()``.
        """
        url = {'keystone': self.keystone_url,
               'cinder': self.cinder_url}.get(backend, backend)
        kwargs = {}
        if tls:
            certs = self.tls_certs()
            kwargs = dict(zip(('certfile', 'keyfile'),
                              certs.untrusted_server if untrusted
                              else certs.server))
            if client_ca:
                kwargs['client_ca'] = certs.ca
                kwargs['require_client_cert'] = require_client_cert
        item = front_mod.Front(url, before=before, **kwargs).start()
        self.fronts.append(item)
        return item

    def publish_cinder(self, url, region):
        """Also publish block-storage at ``url`` in ``region`` (created).

        RegionOne's endpoints stay; ``set_catalog()`` removes these.
        """
        admin = self.keystone_admin()
        admin.ensure_region(region)
        service_id = admin.ensure_service('block-storage', 'cinderv3')
        admin.add_endpoints(service_id, url.rstrip('/') + '/v3/$(project_id)s',
                            region)

    # -- cinder -------------------------------------------------------------
    def api_request(self, method, path, body=None, token=None,
                    microversion=None, headers=None, base_url=None):
        """Raw call to a cinder-api: ``(status, headers, json_or_None)``.

        ``path`` is relative to the server root (``/v3/...``) or a full URL.
        Without ``token`` a member token is used.  ``microversion`` sends
        ``OpenStack-API-Version: volume <microversion>``.
        """
        if path.startswith('http://') or path.startswith('https://'):
            url = path
        else:
            url = (base_url or self.cinder_url).rstrip('/') + path
        all_headers = {'X-Auth-Token': token or self.token('member')}
        if microversion:
            all_headers['OpenStack-API-Version'] = 'volume %s' % microversion
        all_headers.update(headers or {})
        return httpjson.request(method, url, body, all_headers)

    def api_get(self, path, token=None, microversion=None, headers=None,
                base_url=None):
        """GET on a cinder-api: ``(status, headers, json_or_None)``."""
        return self.api_request('GET', path, token=token,
                                microversion=microversion, headers=headers,
                                base_url=base_url)

    def backups_path(self, project_id=None, detail=True):
        """``/v3/<project>/backups[/detail]`` (member project by default)."""
        return '/v3/%s/backups%s' % (project_id or self.member.project_id,
                                     '/detail' if detail else '')

    def seed_backups(self, n, project_id=None, **overrides):
        """Insert ``n`` backups (member's project by default).

        Returns the rows as dicts, oldest first (the API lists them newest
        first).  See ``seed.seed_backups`` for ``overrides``.
        """
        if project_id is None or project_id == self.member.project_id:
            project_id = self.member.project_id
            overrides.setdefault('user_id', self.member.user_id)
        else:
            overrides.setdefault('user_id', self.admin.user_id)
        user_id = overrides.pop('user_id')
        return seed_mod.seed_backups(self.cinder_db_path, n, project_id,
                                     user_id, **overrides)

    def seed_volumes(self, names, project_id=None, deleted=False, ids=None):
        """Insert volume rows named ``names``; return their ids.

        In the member's project by default; see ``seed.seed_volumes``.
        """
        project_id = project_id or self.member.project_id
        user_id = (self.member.user_id if project_id == self.member.project_id
                   else self.admin.user_id)
        return seed_mod.seed_volumes(self.cinder_db_path, names, project_id,
                                     user_id, deleted=deleted, ids=ids)

    def seed_backup_metadata(self, backup_id, items):
        """Give a seeded backup metadata ``{key: value}``."""
        seed_mod.seed_backup_metadata(self.cinder_db_path, backup_id, items)

    def clear_backups(self, project_id=None):
        """Delete all backups (or one project's)."""
        seed_mod.clear_backups(self.cinder_db_path, project_id)

    # -- clouds.yaml ----------------------------------------------------------
    def clouds_yaml_entries(self, prefix='vbs-local', auth_url=None,
                            region_name=REGION, **extra):
        """``{prefix: member entry, prefix + '-admin': admin entry}``.

        ``extra``: more top-level keys (``cacert``, ``verify``, ...).
        """
        def entry(creds):
            return dict({
                'auth': {
                    'auth_url': auth_url or self.keystone_url,
                    'username': creds.username,
                    'password': creds.password,
                    'project_name': creds.project_name,
                    'user_domain_name': creds.user_domain_name,
                    'project_domain_name': creds.project_domain_name,
                },
                'region_name': region_name,
                'interface': 'public',
                'identity_api_version': 3,
            }, **extra)
        return {prefix: entry(self.member),
                prefix + '-admin': entry(self.admin)}

    def write_clouds_yaml(self, path, prefix='vbs-local', **kwargs):
        """Write (or merge into) the clouds.yaml at ``path``.

        Other clouds in the file are kept; ``kwargs`` as for
        ``clouds_yaml_entries``.
        """
        helper = None
        if self._venvs.get('keystone'):
            helper = install.bin_path(self._venvs['keystone'], 'python')
        return cloudsyaml.merge_into_file(
            path, self.clouds_yaml_entries(prefix, **kwargs),
            helper_python=helper)


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
