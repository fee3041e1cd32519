"""What the coverage report reads: the volumes, the counting backups
by age window, and each volume's last backup, one row per request.

reports.coverage judges; this module gives it lazy readers, so what it
does not read is not requested.
"""

from vbsclient.api.http import shapes
from vbsclient.api.listing import concurrent
from vbsclient.api.listing import scope as scope_mod
from vbsclient.api.query import refusal
from vbsclient.api.query import resolve
from vbsclient.api.query import windows as windows_mod
from vbsclient.api.reports import coverage
from vbsclient import backup as backup_mod


def read(backups, params, scope, cutoff, uncovered=False,
         probe_bound=coverage.PROBE_BOUND):
    """The VolumeCoverage list of the volumes in ``scope``.

    :param backups: the client's listing.plan.Backups.
    :param params: the checked scope parameters; ``scope`` their query.
    :param cutoff: aware datetime (coverage.cutoff).
    """
    client = backups.client
    volumes = client.volumes.list(
        scope, page_concurrency=client.page_concurrency,
        max_pages=backups.max_pages)
    reader = _Reader(backups, scope, scope_mod.FirstRow(
        client, params, scope, 'volumes and backups'))
    before = windows_mod.Window('created_at', before=cutoff)
    # Newest first (the default order), one listing per counting
    # status: the windows' ordered search finds where the backups
    # created within max_age end, and only those are read; the older
    # ones are counted, read or probed only when needed (lazily).
    with refusal.ProjectRefusal(scope):
        return coverage.assess(
            volumes,
            reader.by_status(windows_mod.Window('created_at', after=cutoff)),
            reader.last, cutoff, uncovered=uncovered,
            probe_bound=probe_bound, older=reader.by_status(before),
            count_older=lambda: reader.count(before))


class _Reader:
    """The backups coverage reads, in one scope, checked once."""

    def __init__(self, backups, scope, first):
        self.backups = backups
        self.scope = scope
        self.first = first

    def scoped(self, rows):
        """Backups of raw ``rows``, the scope checked on the first."""
        return map(backup_mod.Backup, self.first.rows(rows))

    def by_status(self, window):
        """The counting backups in ``window``, newest first (lazy)."""
        return coverage.newest_first([self.scoped(self.backups.rows(
            dict(self.scope, status=status), [window]))
            for status in coverage.COVERING_STATUSES])

    def count(self, window):
        """How many counting backups ``window`` holds."""
        total = 0
        for status in coverage.COVERING_STATUSES:
            count, sample = self.backups.count_rows(
                dict(self.scope, status=status), [window])
            list(self.scoped(sample))
            total += count
        return total

    def last(self, volume_ids, seen):
        """{volume_id: its newest counting Backup, or None}.

        One request per volume and counting status, after the
        ``seen[volume_id, status]`` newest (offset), up to the page
        concurrency at a time.
        """
        client = self.backups.client
        client.microversion  # chosen before any thread asks
        asks = [(volume_id, status) for volume_id in volume_ids
                for status in coverage.COVERING_STATUSES]

        def last(ask):
            volume_id, status = ask
            query = dict(self.scope, volume_id=volume_id, status=status,
                         limit=1)
            if seen.get(ask):
                query['offset'] = seen[ask]
            url, body = self.backups.get(
                resolve.LIST_PATH, query,
                'finding the last backup of volume %s' % volume_id)
            found = shapes.backups_of(body, url)
            return found[0] if found else None

        answers = concurrent.map_all(last, asks, client.page_concurrency,
                                     name='vbs-probe')
        hits = [(ask[0], raw) for ask, raw in zip(asks, answers) if raw]
        found = {}
        for volume_id, backup in zip([v for v, _raw in hits],
                                     self.scoped([raw for _v, raw in hits])):
            found.setdefault(volume_id, []).append(backup)
        result = dict.fromkeys(volume_ids)
        result.update((volume_id, coverage.latest(backups))
                      for volume_id, backups in found.items())
        return result
