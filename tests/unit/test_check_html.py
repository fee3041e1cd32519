"""tests/check_html.py: the check run on the built docs."""

import os

import fixtures
import testtools

from tests import check_html


class TestCheckHtml(testtools.TestCase):

    def build(self, **pages):
        root = self.useFixture(fixtures.TempDir()).path
        for name, text in pages.items():
            with open(os.path.join(root, name + '.html'), 'w',
                      encoding='utf-8') as fh:
                fh.write(text)
        return root

    def test_typeset_option_names_are_reported(self):
        root = self.build(cli='<span class="pre">\u2013os-vbs-timeout</span>'
                              ' and &#8211;max-width, &ndash;long')
        found = check_html.problems(root)
        self.assertEqual(["cli.html: '\u2013%s' is not an option name anyone "
                          "can type" % name
                          for name in ('long', 'max-width', 'os-vbs-timeout')],
                         found)

    def test_literal_option_names_and_prose_dashes_pass(self):
        root = self.build(cli='<span class="pre">--os-vbs-timeout</span>',
                          prose='Python 3.10\u20133.13 \u2013 all of them')
        self.assertEqual([], check_html.problems(
            root, ['--os-vbs-timeout']))

    def test_a_required_text_missing_from_every_page_is_reported(self):
        root = self.build(cli='\u2013os-vbs-timeout is typeset')
        found = check_html.problems(root, ['--os-vbs-timeout'])
        self.assertIn("'--os-vbs-timeout' appears in no page of %s" % root,
                      found)

    def test_forbidden_text_is_reported_per_page(self):
        root = self.build(a='<h2>0.0.0</h2><h3>Bug Fixes</h3>', b='1.0.0')
        self.assertEqual(["a.html: '0.0.0' must not appear",
                          "a.html: 'Bug Fixes' must not appear"],
                         check_html.problems(root, forbidden=['0.0.0',
                                                              'Bug Fixes']))

    def test_an_empty_build_fails(self):
        root = self.useFixture(fixtures.TempDir()).path
        err = self.useFixture(fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', err))
        self.assertEqual(1, check_html.main([root]))
        err.seek(0)
        self.assertEqual('%s: no HTML pages\n' % root, err.read())
