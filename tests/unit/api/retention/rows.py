"""Backups for the retention tests, written as short rows."""

import datetime

from vbsclient.api.retention import plan as plan_mod
from vbsclient.api.retention import policy as policy_mod
from vbsclient.backup import Backup

UTC = datetime.timezone.utc


def stamp(text):
    """Cinder's timestamp text for ``2026-12-04 13:00`` (seconds optional)."""
    if text is None:
        return None
    text = text.replace(' ', 'T')
    if len(text) == 16:
        text += ':00'
    return text if '.' in text else text + '.000000'


def utc(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def backup(id, created, status='available', inc=False, volume='v1',
           data=None, snapshot=None):
    """One backup; ``inc`` None sends no is_incremental at all."""
    body = {'id': id, 'volume_id': volume, 'status': status,
            'created_at': stamp(created), 'data_timestamp': stamp(data),
            'snapshot_id': snapshot}
    if inc is not None:
        body['is_incremental'] = inc
    return Backup(body)


def rows(decisions):
    """(id, action, reasons) of each decision, in order."""
    return [(d.backup.id, d.action, d.reason_text()) for d in decisions]


def decide(backups, now='2026-12-05 12:00', remove_errors=False, **rules):
    return rows(policy_mod.decide(backups, policy_mod.KeepPolicy(**rules),
                                  utc(now), remove_errors=remove_errors))


def plan(backups, now='2026-12-05 12:00', selected=None,
         remove_errors=False, **rules):
    return plan_mod.plan(backups, policy_mod.KeepPolicy(**rules), utc(now),
                         selected=selected, remove_errors=remove_errors)
