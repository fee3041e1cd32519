"""Requests in flight at once, each in a daemon thread.

The one way the library runs GETs concurrently (pages, edge probes,
coverage probes).  Daemons, and the caller's thread only ever waits on
an event or a queue, which a signal interrupts: Ctrl-C ends the command
at once, without waiting for the requests in flight.  An error is
raised in the caller's thread.
"""

import queue
import threading


class Call:
    """``fn(arg)`` in a daemon thread, started by ``start``.

    ``done(call)`` is called in that thread once it has finished.
    """

    def __init__(self, fn, arg, done=None, name='vbs-get'):
        self.answer = None
        self.error = None
        self.finished = threading.Event()
        self._thread = threading.Thread(target=self._run,
                                        args=(fn, arg, done), daemon=True,
                                        name=name)

    def start(self):
        self._thread.start()
        return self

    def _run(self, fn, arg, done):
        try:
            self.answer = fn(arg)
        except BaseException as e:  # re-raised in the caller's thread
            self.error = e
        finally:
            self.finished.set()
            if done is not None:
                done(self)

    def result(self):
        """What ``fn`` returned, or its error raised; waits for it."""
        self.finished.wait()
        if self.error is not None:
            raise self.error
        return self.answer


def map_all(fn, args, concurrency, name='vbs-get'):
    """``[fn(arg) for arg in args]``, up to ``concurrency`` at a time.

    In the caller's thread when one at a time will do.  Every call runs;
    then the first error, in the order of ``args``, is raised.
    """
    args = list(args)
    if len(args) <= 1 or concurrency <= 1:
        return [fn(arg) for arg in args]
    finished = queue.Queue()
    calls = []
    for arg in args:
        if len(calls) >= concurrency:
            finished.get()  # one slot free
        calls.append(Call(fn, arg, finished.put, name).start())
    for call in calls:
        call.finished.wait()
    return [call.result() for call in calls]
