"""Minimal JSON-over-HTTP client for the local servers (stdlib urllib).

No proxy is ever used (everything is loopback) and redirects are not
followed, so callers see exactly what the server answered.
"""

import json
import urllib.error
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                      _NoRedirect())


def request(method, url, body=None, headers=None, timeout=60):
    """Send one request; return ``(status, headers, parsed_json_or_None)``.

    ``headers`` in the answer is an ``http.client.HTTPMessage`` (lookups are
    case-insensitive).  A body that is not JSON gives ``None``; its text is
    then available as ``headers.raw_body``.
    """
    data = None
    all_headers = {'Accept': 'application/json'}
    if body is not None:
        data = json.dumps(body).encode('utf-8')
        all_headers['Content-Type'] = 'application/json'
    all_headers.update(headers or {})
    req = urllib.request.Request(url, data=data, headers=all_headers,
                                 method=method)
    try:
        resp = _OPENER.open(req, timeout=timeout)
    except urllib.error.HTTPError as exc:
        resp = exc
    with resp:
        raw = resp.read()
        status = resp.status if hasattr(resp, 'status') else resp.code
        resp_headers = resp.headers
    parsed = None
    if raw:
        try:
            parsed = json.loads(raw.decode('utf-8'))
        except ValueError:
            parsed = None
    resp_headers.raw_body = raw.decode('utf-8', 'replace')
    return status, resp_headers, parsed


class HTTPFailure(RuntimeError):
    def __init__(self, method, url, status, body):
        super().__init__('%s %s -> %s: %s' % (method, url, status, body))
        self.status = status
        self.body = body


def call(method, url, body=None, headers=None, expect=(200, 201, 204)):
    """Like ``request`` but raise ``HTTPFailure`` on an unexpected status.

    Returns ``(headers, json)``.
    """
    status, resp_headers, parsed = request(method, url, body, headers)
    if status not in expect:
        raise HTTPFailure(method, url, status,
                          parsed if parsed is not None
                          else resp_headers.raw_body)
    return resp_headers, parsed
