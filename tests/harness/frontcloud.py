"""LocalCloud's fronts: forwarding HTTP(S) servers before Keystone or Cinder.

With the test certificates (``tlscerts``) for HTTPS and client certificates.
"""

import os

from tests.harness import front as front_mod
from tests.harness import tlscerts


class FrontMixin(object):
    """Methods of LocalCloud; its ``stop()`` stops the ``fronts``."""

    def tls_certs(self):
        """The test certificates, made once under ``<workdir>/tls``."""
        return tlscerts.make(os.path.join(self.workdir, 'tls'))

    def start_front(self, backend='cinder', tls=True, untrusted=False,
                    client_ca=False, require_client_cert=False, before=None):
        """Start a ``front.Front`` before 'keystone' or 'cinder'; return it.

        ``tls``: HTTPS with the server certificate of ``tls_certs()``
        (``untrusted``: the one signed by the untrusted CA); ``client_ca``:
        ask for a client certificate signed by the test CA.  For Keystone
        the auth URL is ``front.url + '/v3'``.  Stopped by ``stop()``.
        """
        url = {'keystone': self.keystone_url,
               'cinder': self.cinder_url}.get(backend, backend)
        kwargs = {}
        if tls:
            certs = self.tls_certs()
            kwargs = dict(zip(('certfile', 'keyfile'),
                              certs.untrusted_server if untrusted
                              else certs.server))
            if client_ca:
                kwargs['client_ca'] = certs.ca
                kwargs['require_client_cert'] = require_client_cert
        item = front_mod.Front(url, before=before, **kwargs).start()
        self.fronts.append(item)
        return item
