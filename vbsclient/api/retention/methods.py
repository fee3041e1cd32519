"""``client.backups``' retention methods: plan a keep policy, prune by
the plan, delete one backup (BackupManager inherits them)."""

from vbsclient.api.query import params as query_mod
from vbsclient.api.query import timestamps as times_mod
from vbsclient.api.retention import apply as apply_mod
from vbsclient.api.retention import decision as decision_mod
from vbsclient.api.retention import delete as delete_mod
from vbsclient.api.retention import gather
from vbsclient.api.retention import policy as policy_mod


class RetentionMethods:
    """Needs ``self._client`` and ``self._backups`` (listing.plan.Backups)."""

    def plan_prune(self, *, keep_last=None, keep_hourly=None,
                   keep_daily=None, keep_weekly=None, keep_monthly=None,
                   keep_yearly=None, keep_within=None, timezone='UTC',
                   remove_errors=False, now=None, on_page=None, lazy=False,
                   **filters):
        """What a keep policy would remove, per volume, and why.

        Sends no DELETE. Returns a list of
        :class:`vbsclient.api.retention.decision.Decision` (``.backup``,
        ``.action`` keep, remove or skip, ``.reasons``), ordered by volume,
        then newest first; each ``.backup`` holds the fields a plan uses
        (id, name, status, volume_id, the times, snapshot_id,
        is_incremental, project_id), so a plan over many backups stays
        small. See :mod:`vbsclient.api.retention.policy` for
        the rules and :mod:`~vbsclient.api.retention.chains` for what an
        incremental pins.

        :param keep_last: keep the N newest available backups.
        :param keep_hourly: ... ``keep_daily``, ``keep_weekly`` (ISO
            weeks), ``keep_monthly``, ``keep_yearly``: keep the newest of
            each of the N most recent such periods that have a backup.
        :param keep_within: keep every backup created at or after now
            minus this age (``timedelta`` or ``30d``, ``12h``, ``2w``).
        :param timezone: the IANA time zone of the periods' calendar.
        :param remove_errors: remove backups in status error too.
        :param now: the time ages count back from (default: now).
        :param on_page: as for :meth:`list`.
        :param lazy: return an iterator instead, volume by volume: without
            a filter that narrows the volumes it holds one volume's
            backups at a time (in the server's order of volume IDs), and
            the listing is read as it is iterated.
        :param filters: :meth:`list`'s filters but ``status`` and
            ``status_like``, and the scope: they narrow what may be
            removed; every backup of the volumes concerned is read for the
            chains.
        :raises EmptyPolicy: no rule given (before any request).
        """
        unknown = sorted(set(filters) - set(gather.FILTERS))
        if unknown:
            raise TypeError('plan_prune() got an unexpected keyword '
                            'argument %r' % unknown[0])
        policy = policy_mod.KeepPolicy(
            keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly,
            keep_yearly, keep_within, timezone).check()
        now = times_mod.as_utc(now) if now is not None else times_mod.utcnow()
        params = query_mod.checked(filters, now)
        decisions = gather.plan(self, policy, params, now, remove_errors,
                                on_page)
        if lazy:
            return decisions
        return sorted(decisions, key=lambda d: decision_mod.volume_key(
            d.backup.volume_id))

    def prune(self, decisions, progress=None):
        """Delete the removals of a plan: children first, chains at once.

        Returns the decisions with ``.result`` (see
        :func:`vbsclient.api.retention.apply.run` for the order, checks and
        what raises: BackupServiceUnavailable, KeyboardInterrupt, each with
        ``.decisions``).

        :param progress: called as ``progress(removed, total)``.
        """
        return apply_mod.run(self._client, decisions, progress)

    def delete(self, backup_id, wait=True):
        """Delete one backup; with ``wait``, return once it is gone.

        Raises NotFound, HasDependents, BackupServiceUnavailable or
        DeletionFailed (see :func:`vbsclient.api.retention.delete.delete`).
        """
        query_mod.check_text('backup_id', backup_id)
        delete_mod.delete_by_id(self._client, backup_id, wait)
