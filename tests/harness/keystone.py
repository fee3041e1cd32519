"""Keystone: configure, bootstrap, serve with gunicorn; a small admin client.

Setup uses keystone-manage (db_sync, fernet_setup, credential_setup,
bootstrap) from the Keystone venv; the server is
``keystone.wsgi.api:application`` under gunicorn with one worker on
127.0.0.1.  The admin client talks to the running server with urllib.
"""

import grp
import os
import pwd
import sqlite3
import urllib.parse

from tests.harness import httpjson
from tests.harness import install
from tests.harness import procs

REGION = 'RegionOne'
INTERFACES = ('public', 'internal', 'admin')
WSGI_MODULE = 'vbs_keystone_wsgi'


class Keystone(object):
    def __init__(self, venv, workdir, port, admin_password, detached=False):
        self.venv = venv
        self.dir = os.path.join(workdir, 'keystone')
        self.port = port
        self.url = 'http://127.0.0.1:%d/v3' % port
        self.admin_password = admin_password
        self.detached = detached
        self.conf_path = os.path.join(self.dir, 'keystone.conf')
        self.db_path = os.path.join(self.dir, 'keystone.sqlite')
        self.log_path = os.path.join(self.dir, 'keystone.log')
        self.server_log_path = os.path.join(self.dir, 'gunicorn.log')
        self.setup_log_path = os.path.join(self.dir, 'setup.log')
        self.server = None

    # -- setup ------------------------------------------------------------
    def configure(self):
        os.makedirs(self.dir, exist_ok=True)
        fernet = os.path.join(self.dir, 'fernet-keys')
        credential = os.path.join(self.dir, 'credential-keys')
        with open(self.conf_path, 'w') as fh:
            fh.write(
                '[DEFAULT]\n'
                'log_file = %(log)s\n'
                'debug = false\n'
                '[database]\n'
                'connection = sqlite:///%(db)s\n'
                '[token]\n'
                'provider = fernet\n'
                'expiration = 86400\n'
                '[fernet_tokens]\n'
                'key_repository = %(fernet)s\n'
                '[fernet_receipts]\n'
                'key_repository = %(fernet)s\n'
                '[credential]\n'
                'key_repository = %(credential)s\n'
                # Cheapest bcrypt: every token request hashes the password.
                # In-process cache: one worker, so invalidation on writes
                # (catalog, assignments) stays coherent; cuts each
                # authenticated request from ~0.45s to a few ms.
                '[identity]\n'
                'password_hash_rounds = 4\n'
                '[cache]\n'
                'enabled = true\n'
                'backend = dogpile.cache.memory\n'
                # Behind an HTTPS front (front.py), links say https.
                '[oslo_middleware]\n'
                'enable_proxy_headers_parsing = true\n'
                % {'log': self.log_path, 'db': self.db_path,
                   'fernet': fernet, 'credential': credential})

    def _manage(self, *args):
        argv = [install.bin_path(self.venv, 'keystone-manage'),
                '--config-file', self.conf_path] + list(args)
        return procs.run_logged(argv, self.setup_log_path,
                                env=install.clean_env())

    def _owner_args(self):
        user = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        return ['--keystone-user', user, '--keystone-group', group]

    def start_setup(self):
        """Start db_sync, fernet_setup and credential_setup.

        They are independent of each other; returns the pending commands.
        """
        return [self._manage('db_sync'),
                self._manage('fernet_setup', *self._owner_args()),
                self._manage('credential_setup', *self._owner_args())]

    def bootstrap(self):
        """Admin user/project/role, default roles, identity endpoints."""
        return self._manage(
            'bootstrap',
            # One argument: a generated password may start with "-".
            '--bootstrap-password=' + self.admin_password,
            '--bootstrap-username', 'admin',
            '--bootstrap-project-name', 'admin',
            '--bootstrap-role-name', 'admin',
            '--bootstrap-service-name', 'keystone',
            '--bootstrap-region-id', REGION,
            '--bootstrap-admin-url', self.url,
            '--bootstrap-public-url', self.url,
            '--bootstrap-internal-url', self.url)

    # -- server -----------------------------------------------------------
    def start(self):
        # Keystone parses sys.argv with oslo.config when the app is built, so
        # the worker must not see gunicorn's own arguments.
        with open(os.path.join(self.dir, WSGI_MODULE + '.py'), 'w') as fh:
            fh.write('import sys\n'
                     'sys.argv[1:] = []\n'
                     'from keystone.wsgi.api import application  # noqa\n')
        argv = [install.bin_path(self.venv, 'gunicorn'),
                '--name', 'keystone-' + self.dir,
                '--bind', '127.0.0.1:%d' % self.port,
                '--workers', '1',
                '--timeout', '120',
                '--graceful-timeout', '5',
                '--pid', os.path.join(self.dir, 'gunicorn.pid'),
                '--access-logfile', os.path.join(self.dir, 'access.log'),
                '--no-control-socket',
                '--chdir', self.dir,
                WSGI_MODULE + ':application']
        env = install.clean_env({'OS_KEYSTONE_CONFIG_DIR': self.dir})
        self.server = procs.Server('keystone', argv, self.server_log_path,
                                   env=env, cwd=self.dir,
                                   detached=self.detached).start()
        return self.server

    def wait(self, timeout=120):
        procs.wait_http(self.url, self.server, timeout=timeout)


def password_token(url, username, password, project_name=None,
                   project_id=None, user_domain_name='Default',
                   project_domain_name='Default'):
    """Project-scoped password token: ``(token, token_body)``."""
    if project_id:
        project = {'id': project_id}
    else:
        project = {'name': project_name,
                   'domain': {'name': project_domain_name}}
    body = {'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': username, 'password': password,
            'domain': {'name': user_domain_name}}}},
        'scope': {'project': project}}}
    headers, data = httpjson.call('POST', url + '/auth/tokens', body,
                                  expect=(201,))
    return headers['X-Subject-Token'], data['token']


class Admin(object):
    """Keystone admin API calls used by the harness (idempotent helpers)."""

    def __init__(self, url, token):
        self.url = url
        self.headers = {'X-Auth-Token': token}

    def _call(self, method, path, body=None, expect=(200, 201, 204)):
        return httpjson.call(method, self.url + path, body, self.headers,
                             expect)[1]

    def _find(self, collection, **query):
        path = '/%s?%s' % (collection, urllib.parse.urlencode(query))
        return self._call('GET', path)[collection]

    def ensure_project(self, name, domain_id='default'):
        found = self._find('projects', name=name, domain_id=domain_id)
        if found:
            return found[0]['id']
        return self._call('POST', '/projects', {'project': {
            'name': name, 'domain_id': domain_id}})['project']['id']

    def ensure_user(self, name, password, default_project_id=None,
                    domain_id='default'):
        found = self._find('users', name=name, domain_id=domain_id)
        if found:
            user_id = found[0]['id']
            self._call('PATCH', '/users/%s' % user_id,
                       {'user': {'password': password}})
            return user_id
        user = {'name': name, 'password': password, 'domain_id': domain_id}
        if default_project_id:
            user['default_project_id'] = default_project_id
        return self._call('POST', '/users', {'user': user})['user']['id']

    def role_id(self, name):
        found = self._find('roles', name=name)
        if not found:
            raise LookupError('keystone has no role %r' % name)
        return found[0]['id']

    def grant(self, project_id, user_id, role_name):
        self._call('PUT', '/projects/%s/users/%s/roles/%s'
                   % (project_id, user_id, self.role_id(role_name)))

    def services(self, service_type):
        return self._find('services', type=service_type)

    def ensure_service(self, service_type, name):
        found = self.services(service_type)
        if found:
            return found[0]['id']
        return self._call('POST', '/services', {'service': {
            'type': service_type, 'name': name,
            'enabled': True}})['service']['id']

    def delete_services(self, service_type):
        for service in self.services(service_type):
            # Keystone drops the service's endpoints with it.
            self._call('DELETE', '/services/%s' % service['id'])

    def ensure_region(self, region):
        if region not in [r['id'] for r in self._find('regions')]:
            self._call('POST', '/regions', {'region': {'id': region}})

    def add_endpoints(self, service_id, url, region, interfaces=INTERFACES):
        """Add one endpoint per interface (the region must exist)."""
        for interface in interfaces:
            self._call('POST', '/endpoints', {'endpoint': {
                'service_id': service_id, 'interface': interface,
                'url': url, 'region_id': region, 'enabled': True}})

    def set_endpoints(self, service_id, url, region=REGION,
                      interfaces=INTERFACES):
        """Make the service's endpoints exactly one ``url`` per interface."""
        existing = self._find('endpoints', service_id=service_id)
        keep = set()
        for endpoint in existing:
            key = endpoint['interface']
            if (key in interfaces and key not in keep
                    and endpoint['url'] == url
                    and endpoint.get('region_id') == region
                    and endpoint.get('enabled', True)):
                keep.add(key)
                continue
            self._call('DELETE', '/endpoints/%s' % endpoint['id'])
        self.add_endpoints(service_id, url, region,
                           [i for i in interfaces if i not in keep])


def insert_project(db_path, name, project_id, domain_id='default'):
    """Project ``name`` with the id ``project_id``, unless ``name`` exists.

    Written into Keystone's database: its API always makes up the id.  Do it
    before anything asks Keystone for the project (it caches what it read).
    """
    conn = sqlite3.connect(db_path, timeout=60)
    try:
        with conn:
            conn.execute(
                'INSERT OR IGNORE INTO project (id, name, domain_id, '
                "description, enabled, extra, parent_id, is_domain) VALUES "
                "(?, ?, ?, '', 1, '{}', ?, 0)",
                (project_id, name, domain_id, domain_id))
    finally:
        conn.close()
