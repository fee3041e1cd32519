"""No wait on a server's Retry-After longer than the request timeout.

From 5.16.0 on, keystoneauth1 sleeps for whatever whole-seconds
Retry-After comes with a status it retries, without a cap (before, and for
an HTTP date, it takes its own backoff).  ``guard`` makes a requests
response hook that refuses an answer asking for more than the timeout, in
either form and with any keystoneauth1, at once instead; it raises a
VBSError, which keystoneauth does not catch, so no sleep and no retry
happen.
"""

import email.utils
import http
import time
from urllib import parse

from vbsclient import exceptions


def seconds(value, now=None):
    """Seconds a Retry-After value (delay or HTTP-date) asks for, or None."""
    value = (value or '').strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def guard(timeout, statuses):
    """A response hook refusing ``statuses`` that ask to wait > ``timeout``."""
    def hook(resp, *args, **kwargs):
        if resp.status_code not in statuses:
            return resp
        value = resp.headers.get('Retry-After')
        wait = seconds(value)
        if wait is None or wait <= timeout:
            return resp
        asked = '%s s' % value.strip()
        if not value.strip().isdigit():
            asked = '%s (%d s from now)' % (value.strip(), wait)
        reason = resp.reason or http.HTTPStatus(resp.status_code).phrase
        url = parse.urlunsplit(parse.urlsplit(resp.url)[:3] + ('', ''))
        raise exceptions.RetryAfterTooLong(
            'VBS API answered %d %s to %s %s with Retry-After: %s, longer '
            'than the request timeout of %g s; try again later'
            % (resp.status_code, reason, resp.request.method, url, asked,
               timeout))
    return hook
