"""The package as released: sdist and wheel, twine check, fresh installs.

Run by ``tox -e build`` only.  ``python -m build`` makes the sdist, then the
wheel from the unpacked sdist; there, and when pip installs the sdist, pbr
has no git checkout and reads PKG-INFO.  Each artifact is installed into a
virtualenv of its own outside the checkout, where ``openstack`` must find
the plugin.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile

import testtools

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
TIMEOUT = 900


def run(argv, cwd):
    # Nothing from the checkout or the tox environment leaks in.
    env = {k: v for k, v in os.environ.items()
           if k not in ('PYTHONPATH', 'VIRTUAL_ENV', 'PYTHONHOME')}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL,
                          timeout=TIMEOUT)


def output(proc):
    return 'exit status %d\n%s%s' % (proc.returncode, proc.stdout,
                                     proc.stderr)


class TestPackage(testtools.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dir = tempfile.mkdtemp(prefix='vbs-build-')
        cls.addClassCleanup(shutil.rmtree, cls.dir, True)
        cls.dist = os.path.join(cls.dir, 'dist')
        # The backend is in this environment (tox.ini): no isolated
        # environment to install it into twice.
        cls.build = run([sys.executable, '-m', 'build', '--no-isolation',
                         '--outdir', cls.dist, ROOT], cwd=cls.dir)
        cls.sdists = glob.glob(os.path.join(cls.dist, '*.tar.gz'))
        cls.wheels = glob.glob(os.path.join(cls.dist, '*.whl'))
        cls.installs = {}
        if cls.build.returncode == 0 and cls.sdists and cls.wheels:
            # The two installs wait on the index mostly: side by side.
            threads = [threading.Thread(target=cls.install, args=args)
                       for args in (('sdist', cls.sdists[0]),
                                    ('wheel', cls.wheels[0]))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    @classmethod
    def install(cls, kind, artifact):
        venv = os.path.join(cls.dir, 'venv-' + kind)
        steps = [[sys.executable, '-m', 'venv', venv],
                 [os.path.join(venv, 'bin', 'python'), '-m', 'pip',
                  'install', '--quiet', '--disable-pip-version-check',
                  artifact]]
        for argv in steps:
            proc = run(argv, cwd=cls.dir)
            if proc.returncode:
                break
        cls.installs[kind] = (venv, proc)

    def version(self, artifact):
        # python_vbsclient-<version>.tar.gz / -<version>-py3-none-any.whl
        return os.path.basename(artifact).split('-')[1].replace(
            '.tar.gz', '')

    def test_sdist_and_wheel_of_one_version(self):
        self.assertEqual(0, self.build.returncode, output(self.build))
        self.assertEqual(1, len(self.sdists), self.sdists)
        self.assertEqual(1, len(self.wheels), self.wheels)
        self.assertEqual(self.version(self.sdists[0]),
                         self.version(self.wheels[0]))
        self.assertNotEqual('0.0.0', self.version(self.wheels[0]))

    def test_license_is_an_spdx_expression_without_warnings(self):
        self.assertEqual(0, self.build.returncode, output(self.build))
        self.assertNotIn('license classifiers are deprecated',
                         output(self.build).lower())
        with zipfile.ZipFile(self.wheels[0]) as wheel:
            [name] = [n for n in wheel.namelist()
                      if n.endswith('.dist-info/METADATA')]
            metadata = wheel.read(name).decode()
        self.assertIn('License-Expression: Apache-2.0\n', metadata)
        self.assertNotIn('Classifier: License ::', metadata)

    def test_twine_check(self):
        artifacts = self.sdists + self.wheels
        self.assertEqual(2, len(artifacts), output(self.build))
        proc = run([sys.executable, '-m', 'twine', 'check', '--strict']
                   + artifacts, cwd=self.dir)
        self.assertEqual(0, proc.returncode, output(proc))

    def check_installed(self, kind, artifact):
        self.assertIn(kind, self.installs, output(self.build))
        venv, proc = self.installs[kind]
        self.assertEqual(0, proc.returncode, output(proc))
        proc = run([os.path.join(venv, 'bin', 'openstack'), 'vbs', 'backup',
                    'list', '--help'], cwd=self.dir)
        self.assertEqual(0, proc.returncode, output(proc))
        for option in ('--all-projects', '--volume', '--name-like'):
            self.assertIn(option, proc.stdout)
        proc = run([os.path.join(venv, 'bin', 'python'), '-c',
                    'import importlib.metadata as m, vbsclient; '
                    'print(m.version("python-vbsclient")); '
                    'print(vbsclient.__file__)'], cwd=self.dir)
        self.assertEqual(0, proc.returncode, output(proc))
        version, location = proc.stdout.split()
        self.assertEqual(self.version(artifact), version)
        self.assertTrue(location.startswith(venv + os.sep), location)

    def test_wheel_installs_into_a_fresh_venv(self):
        self.check_installed('wheel', (self.wheels or [''])[0])

    def test_sdist_installs_into_a_fresh_venv(self):
        self.check_installed('sdist', (self.sdists or [''])[0])
