"""Microversion choice and filter gates."""

from vbsclient.api import microversion as versions
from vbsclient import exceptions

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
        for gate, needed, below in (('name_like', '3.31', '3.30'),
                                    ('status_like', '3.31', '3.30'),
                                    ('volume_like', '3.31', '3.30'),
                                    ('count', '3.45', '3.44'),
                                    ('sort:name', '3.37', '3.36')):
            versions.check_gates([gate], needed)
            e = self.assertRaises(exceptions.UnsupportedMicroversion,
                                  versions.check_gates, [gate], below)
            self.assertEqual((gate, needed, below),
                             (e.param, e.required, e.in_use))

    def test_single_digit_minor_is_below_two_digit(self):
        # Compared as strings, '3.9' would sort above '3.31' and '3.45'.
        for gate in ('name_like', 'count', 'sort:name'):
            self.assertRaises(exceptions.UnsupportedMicroversion,
                              versions.check_gates, [gate], '3.9')
        self.assertFalse(versions.at_least('3.9', '3.31'))
        self.assertTrue(versions.at_least('3.100', '3.64'))

    def test_exact_filters_and_other_sort_keys_have_no_gate(self):
        versions.check_gates(['name', 'status', 'volume', 'all_projects',
                              'project', 'sort:created_at'], '3.0')

    def test_first_failing_gate_is_named(self):
        e = self.assertRaises(exceptions.UnsupportedMicroversion,
                              versions.check_gates,
                              ['name', 'sort:name', 'name_like'], '3.30')
        self.assertEqual('sort:name', e.param)


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
