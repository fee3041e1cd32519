"""Listing progress on a terminal's stderr."""

import io
from unittest import mock

from vbsclient.osc.v3 import progress

from tests.unit import base


class FakeTTY(io.StringIO):

    def isatty(self):
        return True


class TestProgress(base.TestCase):

    def test_only_on_a_terminal(self):
        with mock.patch('sys.stderr', io.StringIO()):
            self.assertIsNone(progress.Progress.for_stderr())
        tty = FakeTTY()
        with mock.patch('sys.stderr', tty):
            self.assertIsInstance(progress.Progress.for_stderr(),
                                  progress.Progress)

    def test_one_line_rewritten_then_cleared(self):
        tty = FakeTTY()
        show = progress.Progress(tty)
        show(1, 1000, 2500)
        show(2, 2000, None)
        show.clear()
        self.assertEqual(
            '\rListing VBS backups: 1000 so far of 2500, page 2...\033[K'
            '\rListing VBS backups: 2000 so far, page 3...\033[K'
            '\r\033[K', tty.getvalue())
        self.assertNotIn('\n', tty.getvalue())

    def test_clear_without_output_writes_nothing(self):
        tty = FakeTTY()
        progress.Progress(tty).clear()
        self.assertEqual('', tty.getvalue())
