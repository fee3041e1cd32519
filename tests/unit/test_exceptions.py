"""The public errors: one line, API words, and reworded by a front end."""

import warnings

from vbsclient import exceptions

from tests.unit import base


class TestWording(base.TestCase):

    def test_plain_message_is_one_line(self):
        e = exceptions.VBSError('a\n  b\tc ')
        self.assertEqual('a b c', str(e))
        self.assertEqual('a b c', e.reword({'a': 'x'}))

    def test_terms_reworded_values_not(self):
        e = exceptions.VBSError('{param} is {value}',
                                {'param': 'name_like', 'value': 'name_like'},
                                terms=('param',))
        self.assertEqual('name_like is name_like', str(e))
        self.assertEqual('--name-like is name_like',
                         e.reword({'name_like': '--name-like'}))

    def test_braces_in_values_are_safe(self):
        e = exceptions.InvalidParameter('name', '{x}', 'bad {y}')
        self.assertEqual("invalid name '{x}': bad {y}", str(e))
        self.assertEqual("invalid --name '{x}': bad {y}",
                         e.reword({'name': '--name'}))

    def test_unsupported_microversion(self):
        e = exceptions.UnsupportedMicroversion('volume_like', '3.31', '3.9')
        self.assertEqual(('volume_like', '3.31', '3.9'),
                         (e.param, e.required, e.in_use))
        self.assertEqual('volume_like needs api_version 3.31 or later; the '
                         'version in use is 3.9', str(e))
        self.assertEqual(
            '--volume-like needs --os-vbs-backup-api-version 3.31 or later; '
            'the version in use is 3.9',
            e.reword({'volume_like': '--volume-like',
                      'api_version': '--os-vbs-backup-api-version'}))

    def test_verify_reads_in_api_words(self):
        e = exceptions.TLSFailed('use {verify}', {'verify': 'verify'},
                                 terms=('verify',))
        self.assertEqual("use the session's verify=<CA file>", str(e))
        self.assertEqual('use --os-cacert', e.reword({'verify':
                                                      '--os-cacert'}))

    def test_api_words_are_api_terms(self):
        # The library's own words never borrow a front end's (cacert is
        # the CLI's and clouds.yaml's name for the session's verify).
        self.assertEqual(['verify'], list(exceptions.API_WORDS))

    def test_invalid_setting(self):
        e = exceptions.InvalidSetting('timeout', 0, 'OS_VBS_TIMEOUT',
                                      'above 0')
        self.assertEqual("invalid timeout '0' (from OS_VBS_TIMEOUT): above 0",
                         str(e))
        self.assertEqual('timeout', e.setting)

    def test_http_error(self):
        e = exceptions.HTTPError('GET', 'https://h/v3/x', 503,
                                 'Service Unavailable', 'down', 'req-1')
        self.assertEqual((503, 'req-1', 'down', 'GET', 'https://h/v3/x'),
                         (e.status, e.request_id, e.detail, e.method, e.url))
        self.assertEqual('VBS API answered 503 Service Unavailable to GET '
                         'https://h/v3/x: down (request-id: req-1)', str(e))

    def test_no_unique_match(self):
        e = exceptions.NoUniqueMatch('2 backups', ('a', 'b'))
        self.assertEqual(['a', 'b'], e.ids)
        self.assertEqual('2 backups', str(e))

    def test_marker_not_found(self):
        cause = exceptions.HTTPError('GET', 'u', 404, 'Not Found', None, None)
        e = exceptions.MarkerNotFound('m-1', cause)
        self.assertIsInstance(e, exceptions.NotFound)
        self.assertEqual('m-1', e.marker)
        self.assertEqual('marker m-1: no such backup (the server answered '
                         '404)', str(e))
        self.assertEqual('--marker m-1: no such backup (the server answered '
                         '404)', e.reword({'marker': '--marker'}))

    def test_scope_ignored_warning(self):
        w = exceptions.ScopeIgnoredWarning(
            '{all_projects} was ignored', {'all_projects': 'all_projects'},
            terms=('all_projects',))
        self.assertIsInstance(w, UserWarning)
        self.assertNotIsInstance(w, exceptions.VBSError)
        self.assertEqual('all_projects was ignored', str(w))
        self.assertEqual('--all-projects was ignored',
                         w.reword({'all_projects': '--all-projects'}))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            warnings.warn(w)
        self.assertIs(exceptions.ScopeIgnoredWarning, caught[0].category)
