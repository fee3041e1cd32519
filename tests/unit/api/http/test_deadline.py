"""Deadline: the time left of one GET, on a fake clock."""

import testtools

from vbsclient.api.http import deadline

from tests.unit import base


class TestDeadline(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.clock = base.Clock()

    def deadline(self, seconds):
        return deadline.Deadline(seconds, clock=self.clock,
                                 sleep=self.clock.sleep)

    def test_time_left_from_the_start(self):
        ends = self.deadline(4)
        self.assertEqual(4, ends.left())
        self.clock.now += 1.5  # an attempt
        self.assertEqual(2.5, ends.left())
        ends.sleep(2)
        self.assertEqual([2], self.clock.sleeps)
        self.assertEqual(0.5, ends.left())
        self.clock.now += 1
        self.assertEqual(0, ends.left())
        self.assertEqual(4.5, ends.spent())

    def test_a_wait_is_allowed_only_with_time_after_it(self):
        ends = self.deadline(4)
        self.assertTrue(ends.allows(3.9))
        self.assertFalse(ends.allows(4))
        ends.sleep(2)
        self.assertTrue(ends.allows(1.9))
        self.assertFalse(ends.allows(2))

    def test_a_sleep_that_moves_no_clock_still_counts(self):
        ends = deadline.Deadline(4, clock=self.clock, sleep=lambda s: None)
        ends.sleep(3)
        self.assertEqual(3, ends.spent())
        self.assertFalse(ends.allows(1))

    def test_default(self):
        self.assertEqual(60, deadline.Deadline(None).seconds)
