"""Microversion choice and filter gates."""

from vbsclient.api import exceptions
from vbsclient.api import versions

from tests.unit import base


class TestSelect(base.TestCase):

    def test_negotiated_is_capped_at_client_max(self):
        self.assertEqual('3.64', versions.select(None, ('3.0', '3.71')))
        self.assertEqual('3.27', versions.select(None, ('3.0', '3.27')))

    def test_explicit_outside_range(self):
        for value in ('3.72', '3.1'):
            self.assertRaises(exceptions.VersionNotSupported,
                              versions.select, value, ('3.2', '3.71'))

    def test_explicit_above_client_max_is_honoured(self):
        self.assertEqual('3.70', versions.select('3.70', ('3.0', '3.71')))

    def test_unknown_range(self):
        self.assertEqual(versions.FALLBACK, versions.select(None, None))
        self.assertEqual('3.10', versions.select('3.10', None))


class TestGates(base.TestCase):

    def test_each_gate(self):
        for key, needed, below in (('name~', '3.31', '3.30'),
                                   ('status~', '3.31', '3.30'),
                                   ('volume_id~', '3.31', '3.30'),
                                   ('with_count', '3.45', '3.44')):
            versions.check_filters([key], needed)
            e = self.assertRaises(exceptions.FilterNeedsMicroversion,
                                  versions.check_filters, [key], below)
            self.assertEqual((key, needed, below),
                             (e.key, e.required, e.in_use))

    def test_exact_filters_have_no_gate(self):
        versions.check_filters(['name', 'status', 'volume_id'], '3.0')


class TestGated(base.TestCase):

    def test_gated(self):
        self.assertFalse(versions.gated(['name', 'status', 'volume_id']))
        self.assertFalse(versions.gated([]))
        self.assertTrue(versions.gated(['name', 'with_count']))


class TestSingleDigitMinor(base.TestCase):
    """3.9 is below 3.10 and 3.31: versions compare as numbers."""

    def test_explicit_within_and_outside_the_range(self):
        self.assertEqual('3.9', versions.select('3.9', ('3.0', '3.71')))
        self.assertEqual('3.10', versions.select('3.10', ('3.0', '3.10')))
        for value, server in (('3.10', ('3.0', '3.9')),
                              ('3.9', ('3.10', '3.71'))):
            self.assertRaises(exceptions.VersionNotSupported,
                              versions.select, value, server)

    def test_negotiated_is_the_lower_max(self):
        self.assertEqual('3.9', versions.select(None, ('3.0', '3.9')))
        self.assertEqual('3.64', versions.select(None, ('3.9', '3.100')))
