"""VBS_DOC_EXAMPLES_WRITE: shown outputs rewritten in place, nothing else."""

import os

import fixtures
import testtools

from tests.functional import test_doc_examples as docs

PAGE = ('Intro::\n\n'
        '    $ openstack a\n    old 1\n    ...\n\n'
        'Then::\n\n'
        '  $ openstack b\n  y\n\n  z\n'
        'End\n')


class TestRewrite(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 'page.rst')
        with open(self.path, 'w') as fh:
            fh.write(PAGE)

    def fixes(self, printed_a, printed_b):
        (na, _, shown_a), (nb, _, shown_b) = docs.shown_examples(self.path)
        return [(na, shown_a, docs.shown_lines(shown_a, printed_a)),
                (nb, shown_b, docs.shown_lines(shown_b, printed_b))]

    def test_outputs_replaced_keeping_elision_and_indentation(self):
        docs.rewrite(self.path, self.fixes(['new 1', 'new 2'],
                                           ['Y', '', 'Z', 'W']))
        with open(self.path) as fh:
            self.assertEqual(
                'Intro::\n\n'
                '    $ openstack a\n    new 1\n    ...\n\n'
                'Then::\n\n'
                '  $ openstack b\n  Y\n\n  Z\n  W\n'
                'End\n', fh.read())

    def test_a_file_edited_meanwhile_is_left_alone(self):
        fixes = self.fixes(['new 1'], ['Y'])
        with open(self.path, 'w') as fh:
            fh.write('Added.\n' + PAGE)
        self.assertRaises(AssertionError, docs.rewrite, self.path, fixes)
        with open(self.path) as fh:
            self.assertEqual('Added.\n' + PAGE, fh.read())
