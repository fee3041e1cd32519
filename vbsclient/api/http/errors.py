"""Turns an HTTP error answer into a one-line HTTPError."""

import http
import re

from vbsclient import exceptions

_REQUEST_ID_HEADERS = ('x-openstack-request-id', 'x-compute-request-id',
                       'x-request-id')
_TITLE = re.compile(r'<title[^>]*>(.*?)</title>', re.IGNORECASE | re.DOTALL)


def from_response(method, url, resp):
    request_id = None
    for name in _REQUEST_ID_HEADERS:
        if resp.headers.get(name):
            request_id = resp.headers[name]
            break
    reason = resp.reason
    if not reason:
        try:
            reason = http.HTTPStatus(resp.status_code).phrase
        except ValueError:
            reason = ''
    return exceptions.HTTPError(method, url, resp.status_code, reason,
                                _detail(resp), request_id)


def _detail(resp):
    """The server's own message from a Cinder, Keystone or vendor body."""
    try:
        body = resp.json()
    except ValueError:
        return _text(resp) or None
    candidates = [body]
    if isinstance(body, dict):
        candidates.extend(v for v in body.values() if isinstance(v, dict))
    for item in candidates:
        if not isinstance(item, dict):
            continue
        for key in ('message', 'error_msg', 'faultstring', 'detail',
                    'description'):
            if isinstance(item.get(key), str) and item[key].strip():
                return item[key]
    return None


def body_hint(resp):
    """' (<text>)' for a body that is not JSON, or ''."""
    text = _text(resp)
    return ' (%s)' % text if text else ''


def _text(resp):
    """A short one-line rendering of a body that is not JSON."""
    text = resp.text or ''
    match = _TITLE.search(text)
    if match:
        text = match.group(1)
    elif '<' in text:
        text = re.sub(r'<[^>]+>', ' ', text)
    text = ' '.join(text.split())
    if len(text) > 200:
        text = text[:200] + '...'
    return text
