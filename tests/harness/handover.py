"""Handing a LocalCloud over to another process (tools/local-cloud).

``state()`` describes a running cloud as JSON; ``from_state()`` makes a
handle on it in another process, able to seed, call and ``stop()`` it.
"""

from tests.harness import cleanup
from tests.harness import identitycloud

STATE_VERSION = 1


class HandoverMixin(object):
    """Methods of LocalCloud."""

    def state(self):
        """JSON-able description: URLs, credentials, process groups."""
        servers = []
        if self._recorded is not None:
            servers = list(self._recorded)
        else:
            for api in [self.cinder] + self.extra_cinders:
                if api is not None and api.server is not None:
                    servers.append(api.server.state(api.conf_path))
            if self.keystone is not None and self.keystone.server:
                servers.append(self.keystone.server.state(
                    'keystone-' + self.keystone.dir))
            servers.extend(self._backup_state())
        return {
            'version': STATE_VERSION,
            'workdir': self.workdir,
            'keystone_url': self.keystone_url,
            'cinder_url': self.cinder_url,
            'cinder_db_path': self.cinder_db_path,
            'cinder_log_path': self.cinder_log_path,
            'osapi_max_limit': self.osapi_max_limit,
            'keystone_venv': self._venvs.get('keystone'),
            'cinder_venv': self._venvs.get('cinder'),
            'admin': self.admin.as_dict() if self.admin else None,
            'member': self.member.as_dict() if self.member else None,
            'extra_cinders': [{'url': a.url, 'log_path': a.log_path}
                              for a in self.extra_cinders],
            'servers': servers,
        }

    def detach(self):
        """Leave the servers running after this process exits.

        Returns ``state()``.  Only for clouds made with ``detachable=True``
        (others are tied to this process by PR_SET_PDEATHSIG).
        """
        if not self.detachable:
            raise RuntimeError('LocalCloud(detachable=True) is needed to '
                               'detach')
        with self._lock:
            cleanup.untrack(self)
            return self.state()

    @classmethod
    def from_state(cls, state):
        """A handle on a cloud started (and detached) by another process.

        Usable for seeding, tokens, API calls and ``stop()``.
        """
        if state.get('version') != STATE_VERSION:
            raise RuntimeError('unknown state version %r'
                               % state.get('version'))
        self = cls(workdir=state['workdir'],
                   osapi_max_limit=state['osapi_max_limit'])
        self._own_workdir = False
        self._recorded = list(state['servers'])
        self._started = True
        self.keystone_url = state['keystone_url']
        self.cinder_url = state['cinder_url']
        self.cinder_db_path = state['cinder_db_path']
        self.cinder_log_path = state['cinder_log_path']
        self._venvs = {k: state.get(k + '_venv')
                       for k in ('keystone', 'cinder')}
        if state.get('admin'):
            self.admin = identitycloud.Credentials(**state['admin'])
        if state.get('member'):
            self.member = identitycloud.Credentials(**state['member'])
        return self
