"""Shows a long listing's progress on stderr when stderr is a terminal."""

import sys


class Progress:
    """The ``on_page`` of BackupManager.list and summary.

    Called before each further page is read; stdout is never touched.
    """

    def __init__(self, stream):
        self.stream = stream
        self.shown = False

    @classmethod
    def for_stderr(cls):
        """A Progress on stderr, or None when stderr is not a terminal."""
        stream = sys.stderr
        isatty = getattr(stream, 'isatty', None)
        return cls(stream) if isatty and isatty() else None

    def __call__(self, pages, backups, total=None):
        text = 'Listing VBS backups: %d so far' % backups
        if total is not None:
            text += ' of %d' % total
        text += ', page %d...' % (pages + 1)
        # Carriage return and erase-to-end-of-line keep it on one line.
        self.stream.write('\r%s\033[K' % text)
        self.stream.flush()
        self.shown = True

    def clear(self):
        if self.shown:
            self.stream.write('\r\033[K')
            self.stream.flush()
            self.shown = False


class Removals(Progress):
    """Callable for client.backups.prune(progress=...): "removed 3 of 9".

    Called from the deleting threads, one call at a time.
    """

    def __call__(self, removed, total):
        self.stream.write('\rremoved %d of %d\033[K' % (removed, total))
        self.stream.flush()
        self.shown = True
