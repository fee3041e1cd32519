"""LocalCloud's cinder-apis: more of them, raw calls, their request logs.

Extra cinder-api processes share the main one's database; each logs the
requests that reached it, which tests read to measure cost.
"""

import os

from tests.harness import cinder as cinder_mod
from tests.harness import httpjson
from tests.harness import procs


class ApiMixin(object):
    """Methods of LocalCloud; it sets ``cinder`` and ``extra_cinders``."""

    # -- extra Cinder API processes ----------------------------------------
    def start_extra_cinder(self, osapi_max_limit=5, workers=1):
        """Start another cinder-api on the same database; return its URL.

        The URL is the server root.  ``workers`` is its
        ``osapi_volume_workers`` (processes serving requests in parallel).
        Stopped by ``stop()``.
        """
        with self._lock:
            if not self._started or self._recorded is not None:
                raise RuntimeError('start() the cloud first')
            name = 'cinder-extra-%d' % (len(self.extra_cinders) + 1)
            api = self._new_cinder(name, procs.free_port(), osapi_max_limit,
                                   workers)
            self.extra_cinders.append(api)
            api.start()
            api.wait()
            return api.url

    def _api_for(self, url=None):
        for api in [self.cinder] + self.extra_cinders:
            if api is not None and (url is None or api.url == url.rstrip('/')):
                return api
        raise LookupError('no cinder-api at %s' % url)

    def cinder_log_offset(self, url=None):
        """Current size of a cinder-api log, to pass as ``since`` later."""
        if self._recorded is not None:
            return os.path.getsize(self.cinder_log_path)
        return self._api_for(url).log_offset()

    def cinder_requests(self, since=0, url=None):
        """Requests that reached a cinder-api, parsed from its log.

        The main cinder-api unless ``url`` names an extra one.  Dicts with
        method, path, query, params, status, seconds, bytes (of the
        response body), line; ``since`` is a byte
        offset from ``cinder_log_offset()``.
        """
        if self._recorded is not None:
            return cinder_mod.parse_requests(self.cinder_log_path, since)
        return self._api_for(url).requests(since)

    # -- cinder -------------------------------------------------------------
    def api_request(self, method, path, body=None, token=None,
                    microversion=None, headers=None, base_url=None):
        """Raw call to a cinder-api: ``(status, headers, json_or_None)``.

        ``path`` is relative to the server root (``/v3/...``) or a full URL.
        Without ``token`` a member token is used.  ``microversion`` sends
        ``OpenStack-API-Version: volume <microversion>``.
        """
        if path.startswith('http://') or path.startswith('https://'):
            url = path
        else:
            url = (base_url or self.cinder_url).rstrip('/') + path
        all_headers = {'X-Auth-Token': token or self.token('member')}
        if microversion:
            all_headers['OpenStack-API-Version'] = 'volume %s' % microversion
        all_headers.update(headers or {})
        return httpjson.request(method, url, body, all_headers)

    def api_get(self, path, token=None, microversion=None, headers=None,
                base_url=None):
        """GET on a cinder-api: ``(status, headers, json_or_None)``."""
        return self.api_request('GET', path, token=token,
                                microversion=microversion, headers=headers,
                                base_url=base_url)

    def backups_path(self, project_id=None, detail=True):
        """``/v3/<project>/backups[/detail]`` (member project by default)."""
        return '/v3/%s/backups%s' % (project_id or self.member.project_id,
                                     '/detail' if detail else '')
