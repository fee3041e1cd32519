"""Functional-test base: the real ``openstack`` against the local cloud."""

import contextlib
import os
import tempfile
from urllib import parse

import fixtures
import testtools

from tests.harness import cloud as cloud_mod
from tests.harness import samples
from tests import shellrun

_CLOUDS_DIR = None


def clouds_file(cloud):
    """A clouds.yaml for the shared cloud (vbs-local, vbs-local-admin)."""
    global _CLOUDS_DIR
    if _CLOUDS_DIR is None:
        _CLOUDS_DIR = tempfile.mkdtemp(prefix='vbs-functional-')
        cloud.write_clouds_yaml(os.path.join(_CLOUDS_DIR, 'clouds.yaml'))
    return os.path.join(_CLOUDS_DIR, 'clouds.yaml')


_EXTRA_CINDERS = {}
_SAMPLES = []


def samples_cloud():
    """A cloud of its own with exactly tools/local-cloud's samples.

    Started once per process (stopped at exit) for the docs' examples, which
    only read it; the shared cloud's backups change from test to test.
    """
    if not _SAMPLES:
        local = cloud_mod.LocalCloud(project_ids=samples.PROJECT_IDS)
        local.start()
        samples.seed_samples(local)
        _SAMPLES.append(local)
    return _SAMPLES[0]


def extra_cinder(cloud, page):
    """A second cinder-api on the cloud's database, pages of ``page``.

    Started once for every class that asks; tests read its request log
    from an offset, so sharing it is safe.
    """
    if (cloud, page) not in _EXTRA_CINDERS:
        _EXTRA_CINDERS[cloud, page] = cloud.start_extra_cinder(
            osapi_max_limit=page)
    return _EXTRA_CINDERS[cloud, page]


def _is_listing(args):
    # A --volume name is looked up on the catalog's cinder-api, whose
    # request log is the test's: no comparison run there.
    args = list(args)
    return ('--debug' not in args and '--volume' not in args and 'vbs' in args
            and args[args.index('vbs') + 1:args.index('vbs') + 3]
            == ['backup', 'list'])


class FunctionalTest(shellrun.ShellFixtureMixin, testtools.TestCase):
    """Runs ``openstack`` as a subprocess against the shared local cloud."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud = cloud_mod.shared_cloud()
        cls.cloud.set_catalog(vbs=False, block_storage=True)

    def openstack(self, *args, user='member', env=None,
                  compare_sequential=True, in_process=False):
        """(status, stdout, stderr) of ``openstack --os-cloud ... args``.

        A subprocess, or with ``in_process`` OSC's shell in this process
        (the same code without the start-up, for tests that run many
        commands).  A successful ``vbs backup list`` with the default page
        concurrency is run again one page at a time (in-process), on a
        second cinder-api over the same database (so the first one's
        request log stays the test's), and must print the same bytes.
        """
        full_env = {'OS_CLIENT_CONFIG_FILE': clouds_file(self.cloud)}
        full_env.update(env or {})
        name = 'vbs-local' if user == 'member' else 'vbs-local-admin'
        if in_process:
            result = self.in_process(full_env, '--os-cloud', name, *args)
        else:
            result = self.run_cli('--os-cloud', name, *args, env=full_env)
        if (compare_sequential and result[0] == 0 and _is_listing(args)
                and 'OS_VBS_PAGE_CONCURRENCY' not in full_env
                and '--os-vbs-page-concurrency' not in args):
            at = args.index('vbs')
            override = '%s/v3/%s' % (extra_cinder(self.cloud, 1000),
                                     self.project_id(user))
            again = self.in_process(
                full_env, '--os-cloud', name, *(args[:at] + (
                    '--os-vbs-endpoint-override', override,
                    '--os-vbs-page-concurrency', '1') + args[at:]))
            self.assertEqual(result[:2], again[:2],
                             'one page at a time printed otherwise: %s'
                             % (args,))
        return result

    def in_process(self, env, *args):
        """run_shell with exactly ``env`` on top of a clean environment."""
        with contextlib.ExitStack() as stack:
            for key in self.CLEAN_ENV:
                stack.enter_context(fixtures.EnvironmentVariable(key))
            for key, value in env.items():
                stack.enter_context(fixtures.EnvironmentVariable(key, value))
            return self.run_shell(*args)

    def openstack_ok(self, *args, **kwargs):
        rc, out, err = self.openstack(*args, **kwargs)
        self.assertEqual(0, rc, 'openstack %s failed: %s' % (args, err))
        return out

    def assertOneLine(self, err):
        """Return the error, checked to be one line and no traceback."""
        self.assertEqual(1, len(err.strip().splitlines()), err)
        self.assertNotIn('Traceback', err)
        return err.strip()

    def project_id(self, user):
        return (self.cloud.member if user == 'member'
                else self.cloud.admin).project_id

    def server_ids(self, user='member', query=None, microversion='3.64',
                   base_url=None):
        """The server's own answer: every page, following its next links."""
        token = self.cloud.token(user)
        path = self.cloud.backups_path(self.project_id(user))
        if query:
            path += '?' + parse.urlencode(query)
        ids = []
        while path:
            status, _headers, body = self.cloud.api_get(
                path, token=token, microversion=microversion,
                base_url=base_url)
            self.assertEqual(200, status, body)
            ids.extend(b['id'] for b in body['backups'])
            path = None
            for link in body.get('backups_links', []):
                if link['rel'] == 'next':
                    path = link['href']
        return ids

    def list_requests(self, since, url=None):
        return [r for r in self.cloud.cinder_requests(since, url=url)
                if r['path'].endswith('/backups/detail')]


class BackupServiceTest(FunctionalTest):
    """With Cinder's backup service up: DELETE really deletes.

    RabbitMQ and cinder-backup join the shared cloud once per process
    (``LocalCloud.start_backup_service``); seed with ``seed_deletable`` and
    ``seed_chain``.  A test that took the service down and failed before
    bringing it back does not leave the next test without it.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud.start_backup_service()

    def setUp(self):
        super().setUp()
        self.cloud.start_backup_service()


class SmallPagesTest(FunctionalTest):
    """Through a second cinder-api whose pages hold PAGE backups."""

    PAGE = 5

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.small_url = extra_cinder(cls.cloud, cls.PAGE)
        cls.endpoint = '%s/v3/%s' % (cls.small_url,
                                     cls.cloud.member.project_id)

    def small(self, *args, **kwargs):
        # Many commands in these classes: OSC's shell in-process.
        kwargs.setdefault('in_process', True)
        return self.openstack('--os-vbs-endpoint-override', self.endpoint,
                              *args, **kwargs)
