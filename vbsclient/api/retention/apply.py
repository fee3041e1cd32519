"""Carrying out a plan: its removals deleted, children before parents.

Each independent chain (:func:`.order.delete_chains`) is worked by one
thread, one request at a time, in its order, so at most ``concurrency``
requests are in flight. A backup is deleted only once each removed child
is confirmed gone, and only when a fresh read finds it as planned (same
status, same updated_at). What failed stays, and so does everything it
pins: its ancestors in the chain.

Threads are daemons, so Ctrl-C is felt at once: no DELETE is sent after
it, and what was done is reported.
"""

import queue
import threading
import time

from vbsclient.api.retention import decision
from vbsclient.api.retention import delete as delete_mod
from vbsclient.api.retention import order
from vbsclient import exceptions

REMOVED = 'removed'
DEPENDENTS = 'failed: has dependents made after planning'
NO_SERVICE = 'failed: no backup service'
NOT_SENT = 'not sent: the run stopped'
UNCONFIRMED = 'not confirmed: the run stopped while it was deleting'
# How long threads get to finish the request at hand after Ctrl-C.
GRACE = 5.0


def done(result):
    """Whether a removal's ``result`` means the backup is gone."""
    return result == REMOVED


class Run:
    """One application of a plan's decisions (see :func:`run`)."""

    def __init__(self, client, decisions, progress=None):
        self.client = client
        self.decisions = list(decisions)
        self.chains = order.delete_chains(self.decisions)
        self.total = sum(len(c.decisions) for c in self.chains)
        self.progress = progress
        self.results = {}
        self.removed = 0
        self.stop = threading.Event()
        self.service_error = None
        # An unexpected error in a thread, raised in the caller's.
        self.crash = None
        self._lock = threading.Lock()

    def __call__(self):
        """The decisions with results; see :func:`run` for what raises."""
        if self.chains:
            # Chosen (and the token got) before any thread asks.
            self.client.microversion
            self.client.project_id
        todo = queue.Queue()
        # Workers say when they end: Thread.join interrupted by Ctrl-C
        # may take a running thread for ended.
        ended = queue.Queue()
        for chain in self.chains:
            todo.put(chain)
        workers = [threading.Thread(target=self._work, args=(todo, ended),
                                    daemon=True, name='vbs-prune')
                   for _ in range(min(self.client.page_concurrency,
                                      len(self.chains)))]
        running = 0
        try:
            for worker in workers:
                # Counted first: Ctrl-C may come while it starts.
                running += 1
                worker.start()
            while running:
                try:
                    ended.get(timeout=0.1)
                    running -= 1
                except queue.Empty:
                    pass
        except KeyboardInterrupt as e:
            self.stop.set()
            deadline = time.monotonic() + GRACE
            while running and time.monotonic() < deadline:
                try:
                    ended.get(timeout=0.1)
                    running -= 1
                except queue.Empty:
                    pass
            e.decisions = self.outcome()
            raise
        if self.crash is not None:
            raise self.crash
        decisions = self.outcome()
        if self.service_error is not None:
            self.service_error.decisions = decisions
            raise self.service_error
        return decisions

    def outcome(self):
        with self._lock:
            results = dict(self.results)
        return [d._replace(result=results.get(d.backup.id, NOT_SENT))
                if d.action == decision.REMOVE else d
                for d in self.decisions]

    def _work(self, todo, ended):
        try:
            while True:
                try:
                    chain = todo.get_nowait()
                except queue.Empty:
                    return
                self._chain(chain)
        except Exception as e:  # a bug: stop, raise it in the caller
            self.crash = e
            self.stop.set()
        finally:
            ended.put(None)

    def _chain(self, chain):
        results = {}
        for item in chain.decisions:
            backup_id = item.backup.id
            blockers = sorted(c for c in chain.children[backup_id]
                              if not done(results[c]))
            if self.stop.is_set():
                result = NOT_SENT
            elif blockers:
                result = _blocked(blockers, results)
            else:
                result = self._one(item, bool(chain.children[backup_id]))
            results[backup_id] = result
            with self._lock:
                self.results[backup_id] = result
                if done(result):
                    self.removed += 1
                    if self.progress is not None:
                        self.progress(self.removed, self.total)

    def _one(self, item, had_children):
        """Re-read, check and delete one backup; its result.

        ``had_children``: this run removed children of it, and Cinder's
        count of its dependents moved its updated_at: only its status is
        compared then (new children are the server's 400 to report).
        """
        planned = item.backup
        try:
            current = delete_mod.read(self.client, planned.id)
            if current is None:
                return REMOVED
            moved = current.raw('updated_at') != planned.raw('updated_at')
            if current.status != planned.status or (
                    moved and not had_children):
                return 'failed: changed since planning (status %s)' % (
                    current.status)
            if self.stop.is_set():
                return NOT_SENT
            gone = delete_mod.delete(self.client, current,
                                     stopped=self.stop.is_set)
            return REMOVED if gone else UNCONFIRMED
        except exceptions.HasDependents:
            return DEPENDENTS
        except exceptions.BackupServiceUnavailable as e:
            with self._lock:
                if self.service_error is None:
                    self.service_error = e
            self.stop.set()
            return NO_SERVICE
        except exceptions.DeletionFailed as e:
            if e.status == 'error_deleting':
                return 'failed: status error_deleting'
            return 'failed: still %s after %g s' % (e.status,
                                                    self.client.timeout)
        except exceptions.VBSError as e:
            return 'failed: %s' % e


def _blocked(blockers, results):
    """The result of a backup whose removed children are not all gone."""
    causes = [results[c] for c in blockers]
    if DEPENDENTS in causes:
        # It now pins a chain that is still there.
        return DEPENDENTS
    if all(c in (NOT_SENT, UNCONFIRMED) for c in causes):
        return NOT_SENT
    return 'failed: child %s was not removed' % blockers[0][:8]


def run(client, decisions, progress=None):
    """Delete the removals of ``decisions`` (a plan).

    :param progress: called as ``progress(removed, total)`` after each
        backup is gone (from worker threads, one call at a time).
    :returns: the decisions in the same order, each removal with its
        ``result``: ``removed``, ``failed: ...`` or ``not sent: ...``;
        the others unchanged (result None).
    :raises BackupServiceUnavailable: with ``.decisions``, after the run
        stopped: nothing was deleted after that answer.
    :raises KeyboardInterrupt: Ctrl-C, with ``.decisions``: no DELETE was
        sent after it.
    """
    return Run(client, decisions, progress)()
