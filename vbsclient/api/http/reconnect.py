"""Sends a GET again, within its deadline, after no answer or a busy one.

An API restart (an upgrade, a configuration change) refuses connections
for a few seconds and drops those it held.  A GET that got no answer at
all is sent again, after waits that double from FIRST up to CAP seconds,
each between half and all of that (jitter: page threads and other clients
do not come back in step), while the request's deadline leaves time for
another attempt; then one error names the URL and how long was waited.
An answer 429, 502, 503 or 504 is sent again up to ``retries`` times
after the wait retry_after gives, on the same deadline.

Only connections refused, reset or closed without an answer are retried,
and only for GETs (keystoneauth's own token POST goes through the same
session).  Any other answer (a 4xx included), a timeout (each attempt
waits only the time left), a TLS or name resolution failure is not.
"""

import http.client
import random
from urllib import parse

from keystoneauth1 import exceptions as ksa_exceptions

from vbsclient.api.http import errors
from vbsclient.api.http import retry_after
from vbsclient import exceptions

# Seconds: the first wait (before jitter) and the longest one.
FIRST = 0.5
CAP = 3.0

# The built-in ConnectionError family, most specific first
# (RemoteDisconnected is a ConnectionResetError).
_REASONS = (
    (ConnectionRefusedError, 'refused the connection'),
    (http.client.RemoteDisconnected,
     'closed the connection without an answer'),
    (ConnectionResetError, 'reset the connection'),
    (ConnectionError, 'dropped the connection'),
)


def failure(exc):
    """(URL without its query, reason) of a GET that got no answer.

    None when ``exc`` is anything else, which is not retried.
    """
    request = cause = None
    for item in errors.chain(exc):
        # requests' exceptions carry the request they failed to send.
        request = request or getattr(item, 'request', None)
        if cause is None and isinstance(item, ConnectionError):
            cause = item
    if cause is None or getattr(request, 'method', None) != 'GET':
        return None
    parts = parse.urlsplit(request.url)
    url = parse.urlunsplit(parts[:3] + ('', ''))
    for kind, reason in _REASONS:
        if isinstance(cause, kind):
            return url, reason


class Reconnect:
    """Calls ``send(*args, **kwargs)`` (one GET) until it gets an answer.

    ``what`` names the request in messages; ``deadline`` is the request's
    (deadline.Deadline: its clock and sleep); retries are logged on ``log``
    (shown with --debug).  ``retries``: the most a retriable ``statuses``
    answer is sent again.  ``jitter`` (random.uniform's signature) is for
    tests.
    """

    def __init__(self, what, deadline, log, retries=0, statuses=(),
                 jitter=None):
        self.what = what
        self.deadline = deadline
        self.log = log
        self.retries = retries
        self.statuses = tuple(statuses)
        self._jitter = jitter or random.uniform

    def delay(self, retry):
        """The wait before retry number ``retry`` (from 1)."""
        ceiling = min(CAP, FIRST * 2 ** min(retry - 1, 16))
        return self._jitter(ceiling / 2, ceiling)

    def __call__(self, send, *args, **kwargs):
        attempts = answered = failed = 0
        while True:
            attempts += 1
            try:
                resp = send(*args, **kwargs)
            except ksa_exceptions.ConnectFailure as e:
                failed += 1
                self.after_no_answer(e, attempts, failed)
                continue
            if (resp.status_code not in self.statuses
                    or answered >= self.retries):
                return resp
            answered += 1
            wait = retry_after.wait(resp, answered)
            if not self.deadline.allows(wait):
                if retry_after.seconds(resp.headers.get('Retry-After')) \
                        is None:
                    return resp
                raise retry_after.refusal(resp, self.deadline)
            self.log.warning(
                '%s: answered %d; retry %d in %.2f s (%.1f s of the request '
                'timeout of %g s left)', self.what, resp.status_code,
                answered, wait, self.deadline.left(), self.deadline.seconds)
            self.deadline.sleep(wait)

    def after_no_answer(self, e, attempts, failed):
        """Wait before the next attempt, or raise if there is no time.

        ``failed``: the attempts without an answer so far (the backoff).
        """
        found = failure(e)
        if found is None:
            raise e
        url, reason = found
        delay = self.delay(failed)
        left = self.deadline.left()
        if not self.deadline.allows(delay):
            raise exceptions.ConnectionFailed(
                'VBS API request failed (%s): %s %s; waited %.1f s in %d '
                'attempts, up to the request timeout of %g s'
                % (self.what, url, reason, self.deadline.spent(), attempts,
                   self.deadline.seconds)) from e
        self.log.warning(
            '%s: %s %s; retry %d in %.2f s (%.1f s of the request timeout of '
            '%g s left)', self.what, url, reason, failed, delay, left,
            self.deadline.seconds)
        self.deadline.sleep(delay)
