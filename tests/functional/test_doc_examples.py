"""The examples of the README and the docs, run against the local cloud.

On a cloud of its own (the shared one's backups change from test to test)
with exactly the sample data of ``tools/local-cloud``
(``tests/harness/samples.py``, started by ``base.samples_cloud``):

* each line of the command reference's Examples block
  (doc/source/cli/index.rst) runs with ``OS_CLOUD=vbs-local``, or
  ``vbs-local-admin`` on a line marked ``# admin``, and succeeds;
* each ``$ openstack ...`` line of README.rst and doc/source prints the
  lines shown under it (stdout, then stderr) exactly, up to a line ``...``
  (the samples' IDs, projects' included, are the same on every start);
* the failures in ``openstack`` itself, before the plugin runs, read as
  troubleshooting.rst shows them.

With ``VBS_DOC_EXAMPLES_WRITE=1`` the shown lines that differ are rewritten
in place with what the commands print (a final ``...`` and the indentation
kept), and the test still fails, naming each example it rewrote.
"""

import contextlib
import glob
import os
import re
import shlex
import subprocess
import tempfile

import fixtures
import testtools

from tests.functional import base
from tests.harness import cloudsyaml
from tests.harness import localcloud
from tests.harness import procs
from tests.harness import samples
from tests import shellrun

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CLI_REFERENCE = os.path.join(ROOT, 'doc', 'source', 'cli', 'index.rst')
TROUBLESHOOTING = os.path.join(ROOT, 'doc', 'source', 'troubleshooting.rst')
ADMIN_MARK = re.compile(r'\s+#\s*admin\s*$')
WRITE = os.environ.get('VBS_DOC_EXAMPLES_WRITE') == '1'


def reference_examples(path=CLI_REFERENCE):
    """The command lines of the literal block after "Examples"."""
    with open(path) as fh:
        lines = fh.read().splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.startswith('Each of these runs as written'))
    start = next(i for i in range(start, len(lines))
                 if lines[i].endswith('::')) + 1
    examples = []
    for line in lines[start:]:
        if line and not line.startswith(' '):
            break
        if line.strip():
            examples.append(line.strip())
    return examples


def shown_examples(path):
    """``(line number, command, [output lines])`` of each ``$`` line."""
    with open(path) as fh:
        lines = fh.read().splitlines()
    found = []
    for number, line in enumerate(lines):
        match = re.match(r'^( +)\$ (.*)$', line)
        if not match:
            continue
        indent = match.group(1)
        output = []
        for following in lines[number + 1:]:
            if following.strip() and not following.startswith(indent):
                break
            if following.startswith(indent + '$ '):
                break
            output.append(following[len(indent):])
        while output and not output[-1].strip():
            output.pop()
        found.append((number + 1, match.group(2), output))
    return found


def shown_lines(shown, printed):
    """What a block should show: ``printed``, cut at a final ``...``."""
    if shown and shown[-1] == '...':
        return printed[:len(shown) - 1] + ['...']
    return list(printed)


def rewrite(path, fixes):
    """Replace output blocks; ``fixes``: ``(line number, old, new)``.

    ``line number`` is the ``$`` line's (1-based) and ``old`` the lines
    ``shown_examples`` found under it; a file edited since is left alone.
    """
    found = {number: output for number, _, output in shown_examples(path)}
    if any(found.get(number) != old for number, old, _ in fixes):
        raise AssertionError('%s changed while the examples ran; not '
                             'rewritten' % path)
    with open(path) as fh:
        lines = fh.read().split('\n')
    for number, old, new in sorted(fixes, reverse=True):
        indent = re.match(r'^( +)', lines[number - 1]).group(1)
        lines[number:number + len(old)] = [
            indent + line if line.strip() else '' for line in new]
    with open(path, 'w') as fh:
        fh.write('\n'.join(lines))


def doc_files():
    return [os.path.join(ROOT, 'README.rst')] + sorted(glob.glob(
        os.path.join(ROOT, 'doc', 'source', '**', '*.rst'), recursive=True))


def split_command(text):
    """``(environment, argv after "openstack", admin)`` of a shown line."""
    admin = bool(ADMIN_MARK.search(text))
    words = shlex.split(ADMIN_MARK.sub('', text))
    env = {}
    while '=' in words[0] and not words[0].startswith('-'):
        key, value = words.pop(0).split('=', 1)
        env[key] = value
    if words[0] != 'openstack':
        raise ValueError('not an openstack command: %r' % text)
    return env, words[1:], admin


class TestDocExamples(shellrun.ShellFixtureMixin, testtools.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cloud = base.samples_cloud()
        # As tools/local-cloud writes it into the checkout.
        cls.root = tempfile.mkdtemp(prefix='vbs-doc-examples-')
        cls.clouds_yaml = os.path.join(cls.root, 'clouds.yaml')
        cls.cloud.write_clouds_yaml(cls.clouds_yaml, localcloud.PREFIX)

    def setUp(self):
        super().setUp()
        self.clean_os_environment()
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_CLIENT_CONFIG_FILE', self.clouds_yaml))

    def run_example(self, text):
        env, args, admin = split_command(text)
        env.setdefault('OS_CLOUD', localcloud.PREFIX + (
            '-admin' if admin else ''))
        with contextlib.ExitStack() as stack:
            for key, value in env.items():
                stack.enter_context(fixtures.EnvironmentVariable(key, value))
            # OSC's shell in-process: the same code, without a start-up
            # each.
            return self.run_shell(*args)

    def test_quick_start_command_from_the_checkout(self):
        # The README's first command, as a process, finding ./clouds.yaml.
        proc = subprocess.run(
            [shellrun.openstack_command(), '--os-cloud', 'vbs-local', 'vbs',
             'backup', 'list', '--long'], cwd=self.root,
            capture_output=True, text=True, stdin=subprocess.DEVNULL,
            timeout=120, env={k: v for k, v in os.environ.items()
                              if not k.startswith('OS_')})
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertEqual(len(samples.member_backups()) + 4,
                         len(proc.stdout.splitlines()))

    def test_command_reference_examples(self):
        examples = reference_examples()
        self.assertGreater(len(examples), 5)
        for text in examples:
            rc, out, err = self.run_example(text)
            self.assertEqual((0, ''), (rc, err), text)
            self.assertNotEqual('', out.strip(), text)

    def test_shown_output_is_what_the_command_prints(self):
        checked = 0
        rewritten = []
        for path in doc_files():
            fixes = []
            for number, text, shown in shown_examples(path):
                where = '%s:%d: %s' % (os.path.relpath(path, ROOT), number,
                                       text)
                rc, out, err = self.run_example(text)
                printed = (out + err).splitlines()
                checked += 1
                if not shown:
                    self.assertEqual((0, ''), (rc, err), where)
                    self.assertTrue(printed, where)
                    continue
                try:
                    self.assertSameOutput(shown, printed, where)
                except self.failureException:
                    if not WRITE:
                        raise
                    fixes.append((number, shown,
                                  shown_lines(shown, printed)))
                    rewritten.append(where)
            if fixes:
                rewrite(path, fixes)
        self.assertGreater(checked, 15)
        self.assertEqual([], rewritten, 'rewritten (VBS_DOC_EXAMPLES_WRITE)')

    def assertSameOutput(self, shown, printed, where):
        if shown[-1] == '...':
            shown = shown[:-1]
            printed = printed[:len(shown)]
        self.assertEqual(shown, printed, where)

    # The failures in OSC itself read as troubleshooting.rst shows them.

    def run_with_entry(self, **auth):
        entry = self.cloud.clouds_yaml_entries()['vbs-local']
        entry['auth'].update(auth)
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'clouds.yaml')
        with open(path, 'w') as fh:
            fh.write(cloudsyaml.dump({'clouds': {'vbs-local': entry}}))
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_CLIENT_CONFIG_FILE', path))
        return self.run_shell('--os-cloud', 'vbs-local', 'vbs', 'backup',
                              'list')

    def assertDocumented(self, *fragments):
        with open(TROUBLESHOOTING) as fh:
            doc = ' '.join(fh.read().split())
        for fragment in fragments:
            self.assertIn(fragment, doc)

    def test_cloud_not_found(self):
        rc, out, err = self.run_shell('--os-cloud', 'vbs-nope', 'vbs',
                                      'backup', 'list')
        self.assertEqual((1, '', 'Cloud vbs-nope was not found.\n'),
                         (rc, out, err))
        self.assertDocumented('``Cloud vbs-local was not found.``')

    def test_wrong_password(self):
        rc, out, err = self.run_with_entry(password='not-the-password')
        self.assertEqual((1, ''), (rc, out))
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertRegex(err, r'^The request you have made requires '
                         r'authentication\. \(HTTP 401\) \(Request-ID: req-')
        self.assertDocumented('``The request you have made requires '
                              'authentication. (HTTP 401) (Request-ID: '
                              'req-...)``')

    def test_keystone_down_is_two_lines(self):
        url = 'http://127.0.0.1:%d/v3' % procs.free_port()
        rc, out, err = self.run_with_entry(auth_url=url)
        self.assertEqual((1, ''), (rc, out))
        first, second = err.splitlines()
        self.assertEqual('Failed to discover available identity versions '
                         'when contacting %s. Attempting to parse version '
                         'from URL.' % url, first)
        self.assertTrue(second.startswith(
            'Unable to establish connection to %s/auth/tokens: ' % url),
            second)
        self.assertIn('Connection refused', second)
        self.assertDocumented(
            'Two lines: ``Failed to discover available identity versions '
            'when contacting http://127.0.0.1:5000/v3. Attempting to parse '
            'version from URL.`` then ``Unable to establish connection to '
            'http://127.0.0.1:5000/v3/auth/tokens: ... Connection refused``')
