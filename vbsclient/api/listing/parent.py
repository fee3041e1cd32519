"""An incremental backup's inferred parent, read with one filtered request.

The API does not send a backup's parent (``parent_id`` is in no
microversion's response), so it is inferred by the rule Cinder followed
when it made the incremental, the one ``prune`` uses
(:func:`vbsclient.api.retention.chains.parent`): the available backup of
the same volume, created before it, with the newest data.  The candidates
are what the server lists after a marker at the backup, in its default
order (created_at, id, newest first): ``volume_id=<its volume>&status=
available&marker=<its id>``.  The first page has one row, which most often
settles it; more pages are read only while an older row could still hold
newer data (a backup of a snapshot).
"""

from vbsclient.api.listing import paging
from vbsclient.api.retention import chains
from vbsclient import backup as backup_mod
from vbsclient import exceptions

# Rows of the first page: the newest one before the backup.
FIRST_PAGE = 1


def parent_of(fetch, backup, own_project=None, max_pages=paging.MAX_PAGES):
    """The Backup that ``backup`` was inferred to build on, or None.

    None without a request for a full backup (``is_incremental`` False)
    or one without a volume or creation time; None when no candidate
    exists.  ``fetch(query)`` reads one page of backups; ``own_project``
    is the caller's: a backup of another project (an admin's view) is
    looked for with ``all_tenants=1``.
    """
    if (backup.is_incremental is False or not backup.volume_id
            or backup.created_at is None):
        return None
    query = {'volume_id': backup.volume_id, 'status': 'available'}
    if backup.project_id and backup.project_id != own_project:
        query['all_tenants'] = 1
    listing = paging.ListingState(fetch, query, max_pages=max_pages,
                                  expected=FIRST_PAGE)
    read = {}

    def earlier():
        for raw in listing.sequential(listing.first_query(backup.id)):
            row = read[raw['id']] = backup_mod.Backup(raw)
            yield row
    try:
        found = chains.parent(backup, earlier())
    except exceptions.MarkerNotFound as e:
        raise exceptions.NotFound(
            'backup %s was deleted while its parent was looked up'
            % backup.id) from e
    return read.get(found)
