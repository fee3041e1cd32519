"""keystoneauth's SSLError becomes one line naming the URL and the fix."""

import ssl

import requests
from urllib3 import exceptions as urllib3_exceptions

from vbsclient import exceptions
from vbsclient.osc.v3 import errors

from tests import shellrun
from tests.unit import base

# The library's words, and the CLI's (vbsclient.osc.v3.errors).
CA_HINT = ("give the CA certificate that signed it with the session's "
           "verify=<CA file>")
CLI_CA_HINT = ('give the CA certificate that signed it with --os-cacert '
               '<file>, OS_CACERT or "cacert" in clouds.yaml')


def ssl_failure(url, cause, request_url=None):
    """requests' SSLError as requests and urllib3 raise it for ``url``."""
    pool_error = urllib3_exceptions.MaxRetryError(
        None, url, reason=urllib3_exceptions.SSLError(cause))
    request = None
    if request_url:
        request = requests.Request('GET', request_url).prepare()
    return requests.exceptions.SSLError(pool_error, request=request)


def unverified(message='unable to get local issuer certificate'):
    cause = ssl.SSLCertVerificationError(
        1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: '
        '%s (_ssl.c:1006)' % message)
    # Set by the ssl module itself on a real failure.
    cause.verify_message = message
    cause.reason = 'CERTIFICATE_VERIFY_FAILED'
    return cause


class TestTLSFailure(base.TestCase):

    def api(self, session=None):
        return self.client(session).backups

    def assertOneLine(self, text):
        self.assertEqual([text], text.splitlines())
        self.assertNotIn('HTTPSConnectionPool', text)
        self.assertNotIn('Max retries', text)

    def test_unverified_certificate_at_version_discovery(self):
        discovery = self.requests_mock.get(
            base.VERSION_URL, exc=ssl_failure(base.VERSION_URL, unverified()))
        e = self.assertRaises(exceptions.TLSFailed, list, self.api().list())
        self.assertEqual(
            'the TLS certificate of %s could not be verified (unable to get '
            'local issuer certificate); %s' % (base.VERSION_URL, CA_HINT),
            str(e))
        self.assertOneLine(str(e))
        self.assertEqual(
            'the TLS certificate of %s could not be verified (unable to get '
            'local issuer certificate); %s' % (base.VERSION_URL, CLI_CA_HINT),
            errors.in_cli_words(e))
        # The term is the session's verify, which the CLI names its way.
        self.assertEqual({'verify'}, e.terms)
        self.assertTrue(e.reword({'verify': 'VERIFY'}).endswith(
            'signed it with VERIFY'))
        # Not a transient failure: asked once, no retries.
        self.assertEqual(1, discovery.call_count)

    def test_unverified_certificate_at_listing_names_url_without_query(self):
        self.serve_versions()
        self.requests_mock.get(base.LIST_URL, exc=ssl_failure(
            base.LIST_URL, unverified('self-signed certificate'),
            request_url=base.LIST_URL + '?name=secret&limit=5'))
        e = self.assertRaises(exceptions.TLSFailed, list,
                              self.api().list(name='secret'))
        self.assertEqual(
            'the TLS certificate of %s could not be verified (self-signed '
            'certificate); %s' % (base.LIST_URL, CA_HINT), str(e))

    def test_unverified_certificate_at_authentication(self):
        session = self.catalog_session([('block-storage',
                                         base.VBS_ROOT + '/v3/%(tenant_id)s')])
        token_url = base.AUTH_URL + '/auth/tokens'
        self.requests_mock.post(token_url,
                                exc=ssl_failure(token_url, unverified()))
        e = self.assertRaises(exceptions.TLSFailed, list,
                              self.api(session).list())
        self.assertIn('the TLS certificate of %s could not be verified'
                      % token_url, str(e))
        self.assertIn(CA_HINT, str(e))

    def test_other_tls_failure_keeps_the_reason(self):
        cause = ssl.SSLError(
            1, '[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert '
            'certificate required (_ssl.c:2580)')
        self.requests_mock.get(base.VERSION_URL,
                               exc=ssl_failure(base.VERSION_URL, cause))
        e = self.assertRaises(exceptions.TLSFailed, list, self.api().list())
        self.assertEqual(
            'TLS connection to %s failed: [SSL: '
            'TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate '
            'required' % base.VERSION_URL, str(e))
        self.assertNotIn('cacert', str(e))

    def test_bare_ssl_error(self):
        self.requests_mock.get(base.VERSION_URL,
                               exc=requests.exceptions.SSLError('handshake'))
        e = self.assertRaises(exceptions.TLSFailed, list, self.api().list())
        self.assertEqual('TLS connection to %s failed: handshake'
                         % base.VERSION_URL, str(e))


class TestTLSFailureInTheShell(shellrun.ShellFixtureMixin, base.TestCase):

    def test_one_line_and_exit_status_1(self):
        self.clean_os_environment()
        self.requests_mock.get(base.VERSION_URL,
                               exc=ssl_failure(base.VERSION_URL, unverified()))
        rc, out, err = self.run_shell(
            '--os-auth-type', 'admin_token', '--os-endpoint', base.ENDPOINT,
            '--os-token', base.TOKEN, 'vbs', 'backup', 'list')
        self.assertEqual(1, rc)
        self.assertEqual('', out)
        self.assertEqual(
            ['the TLS certificate of %s could not be verified (unable to get '
             'local issuer certificate); %s' % (base.VERSION_URL,
                                                CLI_CA_HINT)],
            err.splitlines())
