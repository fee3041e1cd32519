"""The Cinder API alone: configuration, db sync, one cinder-api process.

No message queue (``transport_url = fake://``) and no volume or backup
service, unless given a RabbitMQ URL and the lines of a cinder-backup that
shares the file (``backupsvc``); sqlite, ``auth_strategy = keystone``
(keystonemiddleware validates tokens against the local Keystone),
file-based coordination.  Several API processes
may share one database (``CinderApi(..., db_path=...)``); one process serves
with ``workers`` forked workers (``osapi_volume_workers``).

Every request is logged to ``log_path`` by a paste filter wrapped around the
whole API (``vbs_request_log``, written next to the config), one line each,
written before the response leaves the server (so a client that got its
answer can read the line at once), with the full request line and status::

    2026-01-01 00:00:00.000 123 INFO vbs_request_log [req-... user project
    ...] 127.0.0.1 "GET /v3/<project>/backups/detail?limit=5&with_count=true
    HTTP/1.0" status: 200 len: 1234

(one line in the file; wrapped here).

A 4xx/5xx line ends with `` body: <start of the answer>``.  The servers' own
per-request lines (eventlet.wsgi.server, cinder.api.openstack.wsgi) are
turned down to WARNING, so there is exactly one line per request.
``requests()`` parses those lines.
"""

import json
import os
import re
import shutil
import urllib.parse

from tests.harness import install
from tests.harness import procs

# Fuzzy (LIKE) filters a non-admin may use on backups.  Cinder's
# reject_invalid_filters only accepts a key ``k~`` from a non-admin when
# ``k~`` itself is listed for the resource in resource_filters.json.
MEMBER_BACKUP_FILTERS = ('name~', 'status~', 'volume_id~')

_REQUEST_RE = re.compile(
    r' vbs_request_log .*?"(?P<method>[A-Z]+) (?P<target>\S+) HTTP/[0-9.]+" '
    r'status: (?P<status>\d+)(?: len: (?P<bytes>\S+))?'
    r'(?: time: (?P<seconds>[0-9.]+))?')

FILTER_MODULE = 'vbs_request_log'
# Runs inside cinder-api (the Cinder venv); written next to the config.
FILTER_SOURCE = r'''"""Paste filter: one log line and API time per request."""
import logging
import time

LOG = logging.getLogger(__name__)


def filter_factory(global_conf, **local_conf):
    for name in local_conf.get('quiet_loggers', '').split():
        logging.getLogger(name).setLevel(logging.WARNING)

    def make(app):
        def middleware(environ, start_response):
            started = time.monotonic()
            seen = {}

            def capture(status, headers, exc_info=None):
                seen['status'] = status.split(' ', 1)[0]
                return start_response(status, headers, exc_info)

            target = environ.get('RAW_PATH_INFO') or (
                environ.get('SCRIPT_NAME', '') + environ.get('PATH_INFO', ''))
            if environ.get('QUERY_STRING'):
                target += '?' + environ['QUERY_STRING']
            line = '%s "%s %s %s"' % (environ.get('REMOTE_ADDR', '-'),
                                      environ.get('REQUEST_METHOD'), target,
                                      environ.get('SERVER_PROTOCOL'))
            try:
                body = app(environ, capture)
            except Exception:
                LOG.info('%s status: 500 len: - (exception)', line)
                raise
            if not isinstance(body, list):
                original = body
                try:
                    body = list(original)
                finally:
                    if hasattr(original, 'close'):
                        original.close()
            data = b''.join(body)
            extra = ''
            if seen.get('status', '0') >= '400':
                extra = ' body: %s' % data[:300].decode('utf-8', 'replace')
            LOG.info('%s status: %s len: %d time: %.6f%s', line,
                     seen.get('status'), len(data),
                     time.monotonic() - started, extra.replace('\n', ' '))
            return body
        return middleware
    return make
'''


class CinderApi(object):
    def __init__(self, venv, workdir, name, port, db_path, keystone_url,
                 service_password, osapi_max_limit=1000, workers=1,
                 detached=False, transport_url='fake://', backup=None):
        self.venv = venv
        # ``backup``: the [DEFAULT] lines of ``backupsvc.conf_lines`` (a
        # cinder-backup shares this file); the API itself only casts RPCs.
        self.transport_url = transport_url
        self.backup = backup
        self.name = name
        self.dir = os.path.join(workdir, name)
        self.port = port
        self.url = 'http://127.0.0.1:%d' % port
        self.db_path = db_path
        self.keystone_url = keystone_url
        self.service_password = service_password
        self.osapi_max_limit = osapi_max_limit
        self.workers = workers
        self.detached = detached
        self.conf_path = os.path.join(self.dir, 'cinder.conf')
        self.log_path = os.path.join(self.dir, 'cinder-api.log')
        self.server_log_path = os.path.join(self.dir, 'cinder-api.out')
        self.setup_log_path = os.path.join(self.dir, 'setup.log')
        self.server = None

    def configure(self):
        os.makedirs(self.dir, exist_ok=True)
        etc = os.path.join(self.venv, 'etc', 'cinder')
        paste = os.path.join(self.dir, 'api-paste.ini')
        shutil.copyfile(os.path.join(etc, 'api-paste.ini'), paste)
        filters_path = os.path.join(self.dir, 'resource_filters.json')
        with open(os.path.join(etc, 'resource_filters.json')) as fh:
            filters = json.load(fh)
        backup = filters.setdefault('backup', [])
        for key in MEMBER_BACKUP_FILTERS:
            if key not in backup:
                backup.append(key)
        with open(filters_path, 'w') as fh:
            json.dump(filters, fh, indent=4)
        auth_root = self.keystone_url.rsplit('/v3', 1)[0]
        values = {
            'port': self.port, 'limit': self.osapi_max_limit,
            'workers': self.workers,
            'paste': paste, 'filters': filters_path, 'log': self.log_path,
            'state': self.dir, 'db': self.db_path,
            'coord': os.path.join(self.dir, 'coordination'),
            'locks': os.path.join(self.dir, 'locks'),
            'ks': self.keystone_url, 'ks_root': auth_root,
            'password': self.service_password,
            'healthcheck': os.path.join(self.dir, 'healthcheck_disable'),
            'transport': self.transport_url, 'backup': self.backup or '',
        }
        with open(self.conf_path, 'w') as fh:
            fh.write(
                '[DEFAULT]\n'
                'transport_url = %(transport)s\n'
                '%(backup)s'
                'auth_strategy = keystone\n'
                'osapi_volume_listen = 127.0.0.1\n'
                'osapi_volume_listen_port = %(port)d\n'
                'osapi_volume_workers = %(workers)d\n'
                'osapi_max_limit = %(limit)d\n'
                'api_paste_config = %(paste)s\n'
                'resource_query_filters_file = %(filters)s\n'
                'state_path = %(state)s\n'
                'log_file = %(log)s\n'
                'debug = false\n'
                'graceful_shutdown_timeout = 5\n'
                '[database]\n'
                'connection = sqlite:///%(db)s\n'
                '[coordination]\n'
                'backend_url = file://%(coord)s\n'
                '[oslo_concurrency]\n'
                'lock_path = %(locks)s\n'
                '[oslo_messaging_notifications]\n'
                'driver = noop\n'
                '[keystone_authtoken]\n'
                'www_authenticate_uri = %(ks)s\n'
                'auth_url = %(ks_root)s\n'
                'auth_type = password\n'
                'username = cinder\n'
                'password = %(password)s\n'
                'project_name = service\n'
                'user_domain_name = Default\n'
                'project_domain_name = Default\n'
                'region_name = RegionOne\n'
                % values)
        with open(os.path.join(self.dir, FILTER_MODULE + '.py'), 'w') as fh:
            fh.write(FILTER_SOURCE)
        with open(paste) as fh:
            text = fh.read()
        # The shipped paste file points the healthcheck at /etc/cinder.
        text = text.replace('/etc/cinder/healthcheck_disable',
                            values['healthcheck'])
        # Wrap the whole API (all versions, every status) in the request log.
        if '[composite:osapi_volume]' not in text:
            raise RuntimeError('unexpected api-paste.ini layout in %s' % etc)
        text = text.replace('[composite:osapi_volume]',
                            '[composite:osapi_volume_unlogged]', 1)
        text += ('\n[pipeline:osapi_volume]\n'
                 'pipeline = vbsrequestlog osapi_volume_unlogged\n'
                 '\n[filter:vbsrequestlog]\n'
                 'paste.filter_factory = %s:filter_factory\n'
                 'quiet_loggers = eventlet.wsgi.server '
                 'cinder.api.openstack.wsgi\n' % FILTER_MODULE)
        with open(paste, 'w') as fh:
            fh.write(text)

    def db_sync(self):
        argv = [install.bin_path(self.venv, 'cinder-manage'),
                '--config-file', self.conf_path, 'db', 'sync']
        return procs.run_logged(argv, self.setup_log_path,
                                env=install.clean_env())

    def start(self):
        argv = [install.bin_path(self.venv, 'cinder-api'),
                '--config-file', self.conf_path]
        env = install.clean_env({'PYTHONPATH': self.dir})
        self.server = procs.Server(self.name, argv, self.server_log_path,
                                   env=env, cwd=self.dir,
                                   detached=self.detached).start()
        return self.server

    def wait(self, timeout=120):
        procs.wait_http(self.url + '/', self.server, timeout=timeout)

    def log_offset(self):
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def requests(self, since=0):
        """Requests logged since byte offset ``since``.

        A list of dicts with method, path, query (raw string), params (list
        of pairs), status, line.
        """
        return parse_requests(self.log_path, since)


def parse_requests(log_path, since=0):
    found = []
    try:
        with open(log_path, 'rb') as fh:
            fh.seek(since)
            data = fh.read().decode('utf-8', 'replace')
    except OSError:
        return found
    for line in data.splitlines():
        match = _REQUEST_RE.search(line)
        if not match:
            continue
        target = match.group('target')
        path, _, query = target.partition('?')
        found.append({
            'method': match.group('method'),
            'path': path,
            'query': query,
            'params': urllib.parse.parse_qsl(query, keep_blank_values=True),
            'status': int(match.group('status')),
            # Seconds spent inside the API (None in logs without it).
            'seconds': (float(match.group('seconds'))
                        if match.group('seconds') else None),
            # Response body bytes (None in logs without them).
            'bytes': (int(match.group('bytes'))
                      if (match.group('bytes') or '').isdigit() else None),
            'line': line,
        })
    return found
