"""Property tests: any filter text reaches the server exactly as given."""

import argparse
from urllib import parse

from hypothesis import example
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from vbsclient.api import query
from vbsclient import client as client_mod
from vbsclient.osc.v3 import arguments as backup_cmd

from tests.unit import base

# Any code point a command line or a UTF-8 query can carry.
TEXT = st.text(st.characters(blacklist_categories=('Cs',),
                             blacklist_characters='\x00'),
               max_size=300)
SETTINGS = settings(
    max_examples=150, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture])


class TestQueryRoundTrip(base.TestCase):

    def setUp(self):
        super().setUp()
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, json=base.page([]))

    @SETTINGS
    @given(name=TEXT, pattern=TEXT)
    @example(name='a&b=c#d%20e+f~g h', pattern='%%%+++~~~   &&==##')
    @example(name='x' * 5000, pattern='Ünïcödé ☃ 备份 🚀')
    @example(name='', pattern=' ')
    def test_filters_round_trip(self, name, pattern):
        client = client_mod.Client(self.token_session())
        marker = ('8b5b5b6e-6c47-4ea0-9d73-%012d' % len(name)
                  if name else None)
        list(client.backups.list(name=name, name_like=pattern,
                                 volume_like=pattern, marker=marker))
        req = self.list_requests()[-1]
        sent = parse.parse_qs(parse.urlsplit(req.url).query,
                               keep_blank_values=True, strict_parsing=False,
                               encoding='utf-8', errors='strict')
        self.assertEqual([name], sent['name'])
        self.assertEqual([pattern], sent['name~'])
        self.assertEqual([pattern], sent['volume_id~'])
        if name:
            self.assertEqual([marker], sent['marker'])
        # No fragment and no stray parameter: nothing leaked out of a value.
        self.assertEqual('', parse.urlsplit(req.url).fragment)
        self.assertLessEqual(set(sent),
                             {'name', 'name~', 'volume_id~', 'marker', 'with_count'})


class TestIntegerOptions(base.TestCase):

    @settings(max_examples=200, deadline=None)
    @given(st.one_of(st.integers(max_value=-1),
                     st.integers(min_value=query.MAX_INT + 1),
                     st.text().filter(lambda s: not s.strip().isdigit())))
    def test_refused(self, value):
        self.assertRaises(argparse.ArgumentTypeError,
                          backup_cmd.non_negative_int, str(value))

    @settings(max_examples=200, deadline=None)
    @given(st.integers(min_value=0, max_value=query.MAX_INT))
    def test_accepted(self, value):
        self.assertEqual(value, backup_cmd.non_negative_int(str(value)))
