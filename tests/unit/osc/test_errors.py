"""The one table that rewords library errors with option names."""

import importlib
import io
from unittest import mock
import warnings

from vbsclient.api.query import params as query
from vbsclient import config
from vbsclient import exceptions
from vbsclient.osc import options
from vbsclient.osc.v3 import arguments
from vbsclient.osc.v3 import backup
from vbsclient.osc.v3 import errors
from vbsclient.osc.v3 import reports

from tests.unit import base


class TestTable(base.TestCase):

    def test_every_library_term_has_an_option(self):
        terms = ([p.name for p in query.PARAMS] + list(query.OTHER_GATES)
                 + [s.name for s in config.SETTINGS]
                 + list(arguments.FILTERS + arguments.PAGING)
                 + list(exceptions.API_WORDS))
        for term in terms:
            self.assertIn(term, errors.OPTION_NAMES)

    def test_options(self):
        self.assertEqual('--name-like', errors.OPTION_NAMES['name_like'])
        self.assertEqual('--os-vbs-backup-api-version',
                         errors.OPTION_NAMES['api_version'])
        self.assertEqual('--sort name', errors.OPTION_NAMES['sort:name'])
        self.assertEqual('"vbs backup count"', errors.OPTION_NAMES['count'])

    def test_every_option_of_every_command_named_as_typed(self):
        # Each dest that is a library term names one of its own options.
        for command in (backup.ListBackup, backup.CountBackup,
                        backup.ShowBackup, reports.SummaryBackup,
                        reports.CoverageBackup):
            parser = command(mock.Mock(), mock.Mock()).get_parser('vbs')
            typed = {}
            for action in parser._actions:
                typed.setdefault(action.dest, []).extend(
                    action.option_strings)
            for dest in set(typed) & set(errors.OPTION_NAMES):
                self.assertIn(errors.OPTION_NAMES[dest], typed[dest], dest)

    def test_a_renamed_option_renames_the_message(self):
        def add_renamed(parser):
            parser.add_argument('--name-contains', dest='name_like')
        timeout = options.TIMEOUT._replace(option='--os-vbs-wait')
        names = errors.names_of((add_renamed,), (timeout,))
        e = exceptions.UnsupportedMicroversion('name_like', '3.31', '3.30')
        self.assertEqual('--name-contains needs api_version 3.31 or later; '
                         'the version in use is 3.30',
                         errors.in_cli_words(e, names))
        e = exceptions.InvalidSetting('timeout', 'x', 'OS_VBS_TIMEOUT',
                                      'give seconds')
        self.assertEqual("invalid --os-vbs-wait 'x' (from OS_VBS_TIMEOUT): "
                         "give seconds", errors.in_cli_words(e, names))

    def test_the_table_follows_the_options(self):
        with mock.patch.object(options, 'OPTIONS', (
                options.TIMEOUT._replace(option='--os-vbs-wait'),)):
            importlib.reload(errors)
        try:
            self.assertEqual('--os-vbs-wait', errors.OPTION_NAMES['timeout'])
        finally:
            importlib.reload(errors)
        self.assertEqual('--os-vbs-timeout', errors.OPTION_NAMES['timeout'])

    def test_irregular_entries_only_where_no_option_says_it(self):
        self.assertEqual({'sort:name', 'count', 'verify'},
                         set(errors.IRREGULAR))


class TestOptionNames(base.TestCase):

    def test_reworded_and_reraised_as_is(self):
        error = exceptions.UnsupportedMicroversion('name_like', '3.31',
                                                   '3.30')

        def fail():
            with errors.option_names():
                raise error
        e = self.assertRaises(exceptions.UnsupportedMicroversion, fail)
        self.assertIs(error, e)
        self.assertEqual('--name-like needs --os-vbs-backup-api-version '
                         '3.31 or later; the version in use is 3.30', str(e))
        self.assertEqual('name_like', e.param)

    def test_other_errors_untouched(self):
        def fail():
            with errors.option_names():
                raise ValueError('name_like')
        e = self.assertRaises(ValueError, fail)
        self.assertEqual('name_like', str(e))


class TestScopeWarnings(base.TestCase):

    def test_one_line_in_option_words(self):
        stream = io.StringIO()
        with errors.scope_warnings(stream):
            warnings.warn(exceptions.ScopeIgnoredWarning(
                '{all_projects} was ignored', {'all_projects':
                                               'all_projects'},
                terms=('all_projects',)))
        self.assertEqual('Warning: --all-projects was ignored\n',
                         stream.getvalue())

    def test_other_warnings_passed_on(self):
        stream = io.StringIO()
        with warnings.catch_warnings(record=True) as outer:
            warnings.simplefilter('always')
            with errors.scope_warnings(stream):
                warnings.warn('something else', DeprecationWarning)
        self.assertEqual('', stream.getvalue())
        self.assertEqual(['something else'],
                         [str(w.message) for w in outer])
