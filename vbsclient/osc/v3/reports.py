"""The ``openstack vbs backup summary`` and ``coverage`` reports."""

import gc

from osc_lib.command import command

from vbsclient.api import coverage as coverage_api
from vbsclient.api import exceptions
from vbsclient.api import summary as summary_api
from vbsclient.osc.v3 import arguments
from vbsclient.osc.v3 import backup
from vbsclient.osc.v3 import columns
from vbsclient.osc.v3 import lookup
from vbsclient.osc.v3 import progress

# Python parameter (or term) -> what the CLI calls it, for messages.
NAMES = {
    'group_by': '--group-by',
    'availability_zone': 'availability-zone',
    'max_age': '--max-age',
}

GROUP_KEYS = tuple(k.name.replace('_', '-') for k in summary_api.GROUP_KEYS)
SUMMARY_COLUMNS = ('Count', 'Size (GB)', 'Oldest', 'Newest')
COVERAGE_COLUMNS = ('Volume ID', 'Volume Name', 'Size', 'Last Backup ID',
                    'Last Backup At', 'Covered')


def _reworded(error):
    """A library error about a parameter, in the CLI's option names."""
    if isinstance(error, exceptions.InvalidParameter):
        return exceptions.VBSError(error.reword(NAMES))
    return error


class _Table(command.Lister):

    def produce_output(self, parsed_args, column_names, data):
        # As list: tables show a missing value as an empty cell.
        if parsed_args.formatter == 'table':
            data = [columns.blank_missing(row) for row in data]
        return super().produce_output(parsed_args, column_names, data)


class SummaryBackup(backup._BackupCommand, _Table):
    _description = ('Sum up the VBS backups per group: count, size and the '
                    'oldest and newest creation time (one pass over the '
                    'listing)')

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        arguments.add_filters(parser)
        parser.add_argument(
            '--group-by', metavar='<key>[,<key>...]', default='status',
            help='Group the backups by these keys, in this order: %s '
                 '(month: the UTC year-month of the creation time; '
                 'default: status). Size is the size Cinder records for a '
                 'backup, its volume\'s size, not the bytes stored'
                 % ', '.join(GROUP_KEYS))
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.vbs
        try:
            # An empty --group-by '' sums up everything in one row.
            group_by = summary_api.check_group_by(
                [k.strip() for k in parsed_args.group_by.split(',')
                 if k.strip()])
        except exceptions.InvalidParameter as e:
            raise _reworded(e) from None
        filters = self.filters(parsed_args)
        show_progress = progress.Progress.for_stderr()
        sample = []
        # Large acyclic JSON pages: the cycle collector paused, as list.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            rows = client.summary(filters, group_by, on_page=show_progress,
                                  labels=arguments.LABELS, sample=sample)
        except exceptions.HTTPError as e:
            raise self.scope_refused(e, filters) from e
        finally:
            if gc_was_enabled:
                gc.enable()
            if show_progress:
                show_progress.clear()
        self.check_scope(parsed_args, filters, sample)
        keys = [summary_api.BY_NAME[name] for name in group_by]
        headers = tuple(k.label for k in keys) + SUMMARY_COLUMNS
        return headers, [
            tuple(row.group[k.name] for k in keys)
            + (row.count, row.size, row.oldest, row.newest) for row in rows]


class CoverageBackup(backup._BackupCommand, _Table):
    _description = ('Show each volume\'s last available backup and whether '
                    'it is recent enough (covered)')

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--max-age', metavar='<age>',
            default=coverage_api.DEFAULT_MAX_AGE,
            help='A volume is covered when its last available backup was '
                 'created at most <age> ago: <n><unit>, the unit one of s, '
                 'm, h, d, w (36h, 7d; default: 1d)')
        parser.add_argument(
            '--uncovered', action='store_true', default=False,
            help='Only the volumes that are not covered (the exit status '
                 'stays 0: test the output, see the Reports page)')
        arguments.add_scope(parser)
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.vbs
        try:
            # Checked before the project is looked up.
            coverage_api.cutoff(parsed_args.max_age)
        except exceptions.InvalidParameter as e:
            raise _reworded(e) from None
        scope = {}
        if parsed_args.all_projects or parsed_args.project:
            scope['all_tenants'] = 1
        if parsed_args.project:
            scope['project_id'] = lookup.project_id(
                self.app.client_manager.identity, parsed_args.project,
                parsed_args.project_domain)
        # Volumes show their owner to members too: the scope is checked
        # on the first backup read (its owner field is for admins only).
        sample = []
        try:
            rows = client.coverage(parsed_args.max_age,
                                   uncovered=parsed_args.uncovered,
                                   scope=scope, sample=sample)
        except exceptions.HTTPError as e:
            raise self.scope_refused(e, scope) from e
        except exceptions.InvalidParameter as e:
            raise _reworded(e) from None
        self.check_scope(parsed_args, scope, sample, 'volumes')
        headers = COVERAGE_COLUMNS
        if scope:
            headers += ('Project ID',)
        return headers, [
            (r.volume_id, r.volume_name, r.size, r.last_backup_id,
             r.last_backup_at, r.covered)
            + ((r.project_id,) if scope else ()) for r in rows]
