"""A throw-away PKI for TLS tests, made with the ``openssl`` command.

``make(directory)`` writes (once; later calls reuse the files):

- ``ca.pem``: the test CA, the one to trust (``--os-cacert``);
- ``server.pem``/``server.key``: signed by that CA, for 127.0.0.1 and
  localhost (subjectAltName IP:127.0.0.1, DNS:localhost);
- ``client.pem``/``client.key``: a client certificate signed by that CA,
  subject ``CN=vbs-test-client``;
- ``untrusted-ca.pem`` and ``untrusted-server.pem``/``.key``: another CA
  and a server certificate for the same names signed by it, which a client
  trusting only ``ca.pem`` refuses.

EC P-256 keys (fast to make), valid for two days.
"""

import dataclasses
import os
import subprocess

CLIENT_SUBJECT = 'CN=vbs-test-client'
SERVER_NAMES = 'IP:127.0.0.1,DNS:localhost'
DAYS = '2'


@dataclasses.dataclass
class Certs:
    directory: str

    def path(self, name):
        return os.path.join(self.directory, name)

    @property
    def ca(self):
        return self.path('ca.pem')

    @property
    def server(self):
        """(certfile, keyfile) signed by the trusted CA."""
        return self.path('server.pem'), self.path('server.key')

    @property
    def client(self):
        """(certfile, keyfile) of the client certificate."""
        return self.path('client.pem'), self.path('client.key')

    @property
    def untrusted_server(self):
        """(certfile, keyfile) signed by the untrusted CA."""
        return (self.path('untrusted-server.pem'),
                self.path('untrusted-server.key'))


def _openssl(directory, *args, stdin=None):
    proc = subprocess.run(['openssl'] + list(args), cwd=directory,
                          input=stdin, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError('openssl %s failed: %s'
                           % (' '.join(args), proc.stderr.strip()))


_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
        '-nodes']


def _ca(directory, name, cn):
    _openssl(directory, 'req', '-x509', *_KEY, '-days', DAYS,
             '-keyout', name + '.key', '-out', name + '.pem',
             '-subj', '/CN=' + cn,
             '-addext', 'basicConstraints=critical,CA:TRUE',
             '-addext', 'keyUsage=critical,keyCertSign,cRLSign')


def _leaf(directory, name, ca, cn, extensions):
    ext_file = name + '.ext'
    with open(os.path.join(directory, ext_file), 'w') as fh:
        fh.write('basicConstraints = critical,CA:FALSE\n'
                 'keyUsage = critical,digitalSignature\n'
                 'subjectKeyIdentifier = hash\n'
                 'authorityKeyIdentifier = keyid,issuer\n' + extensions)
    _openssl(directory, 'req', '-new', *_KEY, '-keyout', name + '.key',
             '-out', name + '.csr', '-subj', '/CN=' + cn)
    _openssl(directory, 'x509', '-req', '-in', name + '.csr',
             '-CA', ca + '.pem', '-CAkey', ca + '.key', '-CAcreateserial',
             '-days', DAYS, '-extfile', ext_file, '-out', name + '.pem')


def make(directory):
    """Make (or reuse) the certificates in ``directory``; return Certs."""
    certs = Certs(os.path.abspath(directory))
    if os.path.exists(certs.path('done')):
        return certs
    os.makedirs(directory, exist_ok=True)
    server_ext = ('subjectAltName = %s\n'
                  'extendedKeyUsage = serverAuth\n' % SERVER_NAMES)
    _ca(directory, 'ca', 'vbs-test-ca')
    _leaf(directory, 'server', 'ca', '127.0.0.1', server_ext)
    _leaf(directory, 'client', 'ca', CLIENT_SUBJECT[3:],
          'extendedKeyUsage = clientAuth\n')
    _ca(directory, 'untrusted-ca', 'vbs-untrusted-ca')
    _leaf(directory, 'untrusted-server', 'untrusted-ca', '127.0.0.1',
          server_ext)
    with open(certs.path('done'), 'w'):
        pass
    return certs
