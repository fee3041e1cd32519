"""The wait before a GET answered 429, 502, 503 or 504 is sent again.

The server's ``Retry-After`` (whole seconds or an HTTP date) when it sends
one, else a backoff of 0.5 s doubling.  A wait that leaves no time in the
request's deadline is not taken: with a ``Retry-After``, ``refusal`` says
so in one line instead of the server's answer.
"""

import email.utils
import http
import time
from urllib import parse

from vbsclient import exceptions

# The backoff's first wait, in seconds.
FIRST = 0.5


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


def wait(resp, retry):
    """Seconds to wait before retry number ``retry`` (from 1) of ``resp``."""
    asked = seconds(resp.headers.get('Retry-After'))
    if asked is not None:
        return asked
    return FIRST * 2 ** (retry - 1)


def refusal(resp, deadline):
    """RetryAfterTooLong for ``resp``, whose Retry-After the deadline lacks."""
    value = resp.headers['Retry-After'].strip()
    asked = '%s s' % value
    if not value.isdigit():
        asked = '%s (%d s from now)' % (value, seconds(value))
    reason = resp.reason or http.HTTPStatus(resp.status_code).phrase
    url = parse.urlunsplit(parse.urlsplit(resp.url)[:3] + ('', ''))
    if seconds(value) > deadline.seconds:
        why = 'longer than the request timeout of %g s' % deadline.seconds
    else:
        why = 'but only %.1f s of the request timeout of %g s is left' % (
            deadline.left(), deadline.seconds)
    return exceptions.RetryAfterTooLong(
        'VBS API answered %d %s to %s %s with Retry-After: %s, %s; try '
        'again later' % (resp.status_code, reason, resp.request.method, url,
                         asked, why))
