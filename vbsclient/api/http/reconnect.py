"""Sends a GET again after its connection failed, within the request timeout.

An API restart (an upgrade, a configuration change) refuses connections
for a few seconds and drops those it held.  A GET that got no answer at
all is sent again, after waits that double from FIRST up to CAP seconds,
each between half and all of that (jitter: page threads and other clients
do not come back in step), until the request's timeout budget is spent;
then one error names the URL and how long was waited.

Only connections refused, reset or closed without an answer are retried,
and only for GETs (keystoneauth's own token POST goes through the same
session).  Anything that got an answer (a 4xx included), a timeout (the
budget is spent), a TLS or name resolution failure is not.
"""

import http.client
import random
import time
from urllib import parse

from keystoneauth1 import exceptions as ksa_exceptions

from vbsclient.api.http import causes
from vbsclient import exceptions

# Seconds: the first wait (before jitter) and the longest one.
FIRST = 0.5
CAP = 3.0
# Without a timeout setting: the command line's default.
DEFAULT_BUDGET = 60.0

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
    for item in causes.chain(exc):
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

    ``what`` names the request in messages; ``budget`` is the request
    timeout in seconds (None: DEFAULT_BUDGET); retries are logged on
    ``log`` (shown with --debug).  ``sleep``, ``clock`` and ``jitter``
    (random.uniform's signature) are for tests.
    """

    def __init__(self, what, budget, log, sleep=None, clock=None,
                 jitter=None):
        self.what = what
        self.budget = DEFAULT_BUDGET if budget is None else float(budget)
        self.log = log
        self._sleep = sleep
        self._clock = clock or time.monotonic
        self._jitter = jitter or random.uniform

    def delay(self, retry):
        """The wait before retry number ``retry`` (from 1)."""
        ceiling = min(CAP, FIRST * 2 ** min(retry - 1, 16))
        return self._jitter(ceiling / 2, ceiling)

    def __call__(self, send, *args, **kwargs):
        started = self._clock()
        slept = 0.0
        attempts = 0
        while True:
            attempts += 1
            try:
                return send(*args, **kwargs)
            except ksa_exceptions.ConnectFailure as e:
                found = failure(e)
                if found is None:
                    raise
                url, reason = found
                # Time asleep counts in full even where the clock says
                # less (a sleep patched out), so the loop always ends.
                waited = max(self._clock() - started, slept)
                left = self.budget - waited
                if left <= 0:
                    raise exceptions.ConnectionFailed(
                        'VBS API request failed (%s): %s %s; waited %.1f s '
                        'in %d attempts, up to the request timeout of %g s'
                        % (self.what, url, reason, waited, attempts,
                           self.budget)) from e
                delay = min(left, self.delay(attempts))
                self.log.warning(
                    '%s: %s %s; retry %d in %.2f s (%.1f s of the request '
                    'timeout of %g s left)', self.what, url, reason,
                    attempts, delay, left, self.budget)
                # Looked up here: tests patch time.sleep.
                (self._sleep or time.sleep)(delay)
                slept += delay
