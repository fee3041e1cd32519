"""The options of the backup commands and their checks before sending."""

import argparse

from hypothesis import given
from hypothesis import strategies as st

from vbsclient.api.query import params as query
from vbsclient.osc.v3 import arguments as backup_cmd

from tests.unit import base


class TestIntegerOptions(base.TestCase):

    @given(st.one_of(st.integers(max_value=-1),
                     st.integers(min_value=query.MAX_INT + 1),
                     st.text().filter(lambda s: not s.strip().isdigit())))
    def test_refused(self, value):
        self.assertRaises(argparse.ArgumentTypeError,
                          backup_cmd.non_negative_int, str(value))

    @given(st.integers(min_value=0, max_value=query.MAX_INT))
    def test_accepted(self, value):
        self.assertEqual(value, backup_cmd.non_negative_int(str(value)))


class TestOptions(base.TestCase):

    def parser(self):
        parser = argparse.ArgumentParser()
        parser.error = lambda message: self.fail_usage(message)
        backup_cmd.add_filters(parser)
        backup_cmd.add_paging(parser)
        return parser

    def fail_usage(self, message):
        raise UsageError(message)

    def test_dests_are_library_keywords(self):
        args = self.parser().parse_args([
            '--name', 'n', '--status', 'Error', '--volume', 'v',
            '--name-like', 'a', '--status-like', 's', '--volume-like', 'x',
            '--all-projects', '--project', 'p', '--project-domain', 'd',
            '--sort', 'id:asc', '--marker', 'm', '--offset', '1',
            '--limit', '2'])
        self.assertEqual(
            {'name': 'n', 'status': 'error', 'volume': 'v',
             'name_like': 'a', 'status_like': 's', 'volume_like': 'x',
             'all_projects': True, 'project': 'p', 'project_domain': 'd'},
            backup_cmd.params(args))
        self.assertEqual(
            {'sort': 'id:asc', 'marker': 'm', 'offset': 1, 'limit': 2},
            backup_cmd.params(args, backup_cmd.PAGING))

    def test_unset_options_left_out(self):
        args = self.parser().parse_args([])
        self.assertEqual({'all_projects': False}, backup_cmd.params(args))

    def test_sort_direction_checked(self):
        e = self.assertRaises(UsageError, self.parser().parse_args,
                              ['--sort', 'name:up'])
        self.assertIn("unknown sort direction 'up' for name; use asc or "
                      "desc", str(e))
        e = self.assertRaises(UsageError, self.parser().parse_args,
                              ['--sort', 'colour'])
        self.assertIn("unknown sort key 'colour'", str(e))

    def test_limit_and_max_items(self):
        parser = self.parser()
        self.assertEqual(3, parser.parse_args(['--max-items', '3']).limit)
        self.assertEqual(3, parser.parse_args(
            ['--limit', '3', '--max-items', '3']).limit)
        e = self.assertRaises(UsageError, parser.parse_args,
                              ['--limit', '3', '--max-items', '4'])
        self.assertIn('conflicts with --limit 3', str(e))


class UsageError(Exception):
    pass


class TestPolicyNames(base.TestCase):

    def test_policy_is_what_add_policy_adds(self):
        parser = argparse.ArgumentParser()
        backup_cmd.add_policy(parser)
        dests = tuple(a.dest for a in parser._actions if a.dest != 'help')
        self.assertEqual(backup_cmd.POLICY, dests)
