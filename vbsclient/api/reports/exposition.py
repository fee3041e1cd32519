"""Metrics as Prometheus text exposition format 0.0.4.

``render(values, run)`` is pure: the same values give the same text, in a
fixed order (the families as listed in FAMILIES, statuses in the order of
query.STATUSES, volumes by ID).  Every family is a gauge with HELP and
TYPE lines and samples without timestamps; a family without samples (no
available backup, per-volume or sizes not asked for, a failed run) is
left out.  Times are Unix seconds: an integer for a whole second, else a
decimal with up to six digits (the microseconds Cinder writes).
"""

import datetime

from vbsclient.api.query import params as query_mod

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_MICRO = datetime.timedelta(microseconds=1)

# (name, help), in the order they are written.
FAMILIES = (
    ('vbs_backups', 'Backups per status (every status, 0 included).'),
    ('vbs_backup_newest_timestamp_seconds',
     'Creation time of the newest available backup, in Unix seconds.'),
    ('vbs_backup_oldest_timestamp_seconds',
     'Creation time of the oldest available backup, in Unix seconds.'),
    ('vbs_volumes', 'Volumes seen (as coverage lists them).'),
    ('vbs_volumes_uncovered',
     'Volumes whose last available or restoring backup restores to a '
     'point older than the maximum age, or that have none.'),
    ('vbs_volume_last_backup_timestamp_seconds',
     'Point the volume\'s last available or restoring backup restores to '
     '(data timestamp, else creation time), in Unix seconds; 0: never.'),
    ('vbs_backup_size_gigabytes',
     'Summed size of the backups per status, in GB as Cinder records it '
     '(the volume\'s size).'),
    ('vbs_metrics_success', 'Whether the last run read every value (1) or '
     'failed (0).'),
    ('vbs_metrics_duration_seconds', 'How long the last run took.'),
    ('vbs_metrics_last_run_timestamp_seconds',
     'When the last run ended, in Unix seconds.'),
)


def render(values=None, run=None):
    """The exposition text of ``values`` and ``run`` (either may be None).

    :param values: a vbsclient.api.reports.metrics.Metrics, or None (a
        failed run has none).
    :param run: a vbsclient.api.reports.metrics.Run, or None.
    """
    samples = _samples(values, run)
    lines = []
    for name, help_text in FAMILIES:
        found = samples.get(name)
        if not found:
            continue
        lines.append('# HELP %s %s' % (name, _help(help_text)))
        lines.append('# TYPE %s gauge' % name)
        for labels, value in found:
            lines.append('%s%s %s' % (name, _labels(labels), _number(value)))
    return ''.join(line + '\n' for line in lines)


def _samples(values, run):
    """{family name: [(labels as (name, value) pairs, value)]}."""
    out = {}
    if values is not None:
        out['vbs_backups'] = _by_status(values.backups)
        for name, when in (('newest', values.newest),
                           ('oldest', values.oldest)):
            if when is not None:
                out['vbs_backup_%s_timestamp_seconds' % name] = [((), when)]
        out['vbs_volumes'] = [((), values.volumes)]
        out['vbs_volumes_uncovered'] = [((), values.uncovered)]
        if values.per_volume is not None:
            out['vbs_volume_last_backup_timestamp_seconds'] = [
                ((('volume_id', v.volume_id),
                  ('volume_name', v.volume_name or '')),
                 v.last_backup_at or 0)
                for v in sorted(values.per_volume,
                                key=lambda v: v.volume_id)]
        if values.sizes is not None:
            out['vbs_backup_size_gigabytes'] = _by_status(values.sizes)
    if run is not None:
        out['vbs_metrics_success'] = [((), 1 if run.success else 0)]
        out['vbs_metrics_duration_seconds'] = [((), run.duration)]
        out['vbs_metrics_last_run_timestamp_seconds'] = [((), run.finished)]
    return out


def _by_status(per_status):
    # Every status of the spec in its order; any other after, by name.
    order = list(query_mod.STATUSES) + sorted(
        set(per_status) - set(query_mod.STATUSES))
    return [((('status', status),), per_status.get(status, 0))
            for status in order]


def escape_label(value):
    """A label value as the format writes it (backslash, quote, newline)."""
    return (str(value).replace('\\', '\\\\').replace('"', '\\"')
            .replace('\n', '\\n'))


def _help(text):
    return text.replace('\\', '\\\\').replace('\n', '\\n')


def _labels(labels):
    if not labels:
        return ''
    return '{%s}' % ','.join('%s="%s"' % (name, escape_label(value))
                             for name, value in labels)


def _number(value):
    """A sample value: ints as they are, datetimes as Unix seconds."""
    if isinstance(value, datetime.datetime):
        return _unix_seconds(value)
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return repr(round(value, 6))


def _unix_seconds(when):
    """Exact decimal Unix seconds of an aware (or naive UTC) datetime."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    micros = (when - _EPOCH) // _MICRO
    sign = '-' if micros < 0 else ''
    whole, fraction = divmod(abs(micros), 10 ** 6)
    text = '%s%d' % (sign, whole)
    if fraction:
        text += ('.%06d' % fraction).rstrip('0')
    return text
