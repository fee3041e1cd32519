"""One deadline per GET, consulted by every retry of it.

Computed when a GET starts: each attempt may wait for the server only the
time left (connecting, then each read), waits between attempts (a
reconnect's backoff, a ``Retry-After``) never reach past it, and no
attempt starts once nothing is left.  A GET therefore ends within its
timeout of its start, plus the last attempt's connect time.
"""

import time

# Without a timeout setting: the command line's default.
DEFAULT_SECONDS = 60.0


class Deadline:
    """``seconds`` from now on ``clock`` (time.monotonic by default).

    Time asleep counts in full even where the clock says less (a sleep
    patched out in tests), so a retry loop always ends.
    """

    def __init__(self, seconds=None, clock=None, sleep=None):
        self.seconds = DEFAULT_SECONDS if seconds is None else float(seconds)
        # Looked up at call time when not given: tests patch this module's
        # time (fake clock, recorded sleeps).
        self._clock = clock
        self._sleep = sleep
        self.started = self.now()
        self.slept = 0.0

    def now(self):
        return (self._clock or time.monotonic)()

    def spent(self):
        """Seconds since the start (at least the time asleep)."""
        return max(self.now() - self.started, self.slept)

    def left(self):
        """Seconds left; 0 when spent."""
        return max(0.0, self.seconds - self.spent())

    def allows(self, wait):
        """Whether an attempt after ``wait`` more seconds has time left."""
        return wait < self.left()

    def sleep(self, seconds):
        (self._sleep or time.sleep)(seconds)
        self.slept += seconds
