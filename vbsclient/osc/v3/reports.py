"""The ``openstack vbs backup summary`` and ``coverage`` reports.

Each maps its options to one call of ``client.backups`` and formats what
it returns; the library's errors are reworded with option names.
"""

from vbsclient.api.reports import summary as summary_api
from vbsclient.osc.v3 import arguments
from vbsclient.osc.v3 import backup
from vbsclient.osc.v3 import errors

SUMMARY_COLUMNS = ('Count', 'Size (GB)', 'Oldest', 'Newest')
COVERAGE_COLUMNS = ('Volume ID', 'Volume Name', 'Volume Status', 'Size',
                    'Last Backup ID', 'Last Backup At', 'Data Timestamp',
                    'Covered')


def _created_at(backup):
    # As the server wrote it, as list shows it.
    return backup.raw('created_at') if backup is not None else None


def _data_timestamp(backup):
    # The recovery point as the server wrote it: created_at without one.
    if backup is None:
        return None
    when = backup.raw('data_timestamp')
    return _created_at(backup) if when is None else when


class SummaryBackup(backup._Lister):
    _description = ('Sum up the VBS backups per group: count, size and the '
                    'oldest and newest creation time (one pass over the '
                    'listing, which is never held in memory)')

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        arguments.add_filters(parser)
        arguments.add_group_by(parser)
        return parser

    def take_action(self, parsed_args):
        group_by = arguments.group_keys(parsed_args.group_by)
        with self.reading() as on_page, errors.as_typed(
                'group_by', parsed_args.group_by):
            keys = [summary_api.BY_NAME[name] for name in
                    summary_api.check_group_by(group_by)]
            rows = self.backups.summary(
                group_by=[k.name for k in keys], on_page=on_page,
                **arguments.params(parsed_args))
        # A key of named things shows the name beside the ID.
        headers = tuple(label for k in keys
                        for label in (k.label, k.name_label) if label)
        return headers + SUMMARY_COLUMNS, [
            tuple(value for k in keys for value in (
                (row.group[k.name], row.names.get(k.name)) if k.name_label
                else (row.group[k.name],)))
            + (row.count, row.size, _created_at(row.oldest_backup),
               _created_at(row.newest_backup)) for row in rows]


class CoverageBackup(backup._Lister):
    _description = ('Show each volume\'s last backup (available or '
                    'restoring) and whether the point it restores to is '
                    'recent enough (covered)')

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        arguments.add_max_age(parser)
        parser.add_argument(
            '--uncovered', action='store_true', default=False,
            help='Only the volumes that are not covered (the exit status '
                 'stays 0 when there are some: test the output)')
        arguments.add_scope(parser)
        return parser

    def take_action(self, parsed_args):
        scoped = parsed_args.all_projects or parsed_args.project
        with errors.scope_warnings(self.app.stderr):
            rows = self.backups.coverage(
                max_age=parsed_args.max_age,
                uncovered=parsed_args.uncovered,
                **arguments.params(parsed_args, arguments.SCOPE))
        headers = COVERAGE_COLUMNS + (('Project ID',) if scoped else ())
        return headers, [
            (r.volume_id, r.volume_name, r.volume_status, r.size,
             r.last_backup_id, _created_at(r.last_backup),
             _data_timestamp(r.last_backup), r.covered)
            + ((r.project_id,) if scoped else ()) for r in rows]
