"""The ``openstack vbs backup list``, ``count`` and ``show`` commands.

Each maps its options to one call of ``client.backups`` and formats what
it returns; the library's errors are reworded with option names.
"""

import contextlib
import gc

from osc_lib.cli import format_columns
from osc_lib.command import command

from vbsclient.osc.v3 import arguments
from vbsclient.osc.v3 import columns
from vbsclient.osc.v3 import errors
from vbsclient.osc.v3 import progress


class _BackupCommand:
    """Library errors and warnings in the CLI's words."""

    def run(self, parsed_args):
        with errors.option_names():
            return super().run(parsed_args)

    @property
    def backups(self):
        return self.app.client_manager.vbs.backups

    @contextlib.contextmanager
    def reading(self):
        """While a listing is read: yields the progress callback to give it.

        Scope warnings go to stderr as CLI lines.  The pages are large
        acyclic JSON trees: pausing the cycle collector meanwhile saves
        about a third of the decoding time.
        """
        show_progress = progress.Progress.for_stderr()
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            with errors.scope_warnings(self.app.stderr):
                yield show_progress
        finally:
            if gc_was_enabled:
                gc.enable()
            if show_progress:
                show_progress.clear()


class _Lister(_BackupCommand, command.Lister):

    def produce_output(self, parsed_args, column_names, data):
        # Tables show a missing field as an empty cell; json and yaml keep
        # null, csv writes "", and value keeps OSC's "None" so that the
        # space-separated fields stay in place.
        if parsed_args.formatter == 'table':
            data = [columns.blank_missing(row) for row in data]
        return super().produce_output(parsed_args, column_names, data)


class ListBackup(_Lister):
    _description = 'List VBS backups, fetching every page'

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        arguments.add_filters(parser)
        arguments.add_paging(parser)
        parser.add_argument(
            '--long', action='store_true', default=False,
            help='List additional fields in output')
        return parser

    def take_action(self, parsed_args):
        if parsed_args.long:
            shown = columns.LONG_COLUMNS
        elif parsed_args.all_projects or parsed_args.project:
            shown = columns.SCOPED_COLUMNS
        else:
            shown = columns.LIST_COLUMNS
        params = arguments.params(
            parsed_args, arguments.FILTERS + arguments.PAGING)
        # Collect every page first: a failure on a later page must not
        # leave a partial listing on stdout.
        with self.reading() as on_page:
            rows = [columns.row(backup, shown) for backup in
                    self.backups.list(on_page=on_page, **params)]
        return columns.headers(shown), rows


class CountBackup(_BackupCommand, command.ShowOne):
    _description = ('Count the VBS backups matching the filters (one '
                    'request, microversion 3.45 or later; with an age '
                    'window, single-row requests at any microversion)')

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        arguments.add_filters(parser)
        return parser

    def take_action(self, parsed_args):
        with errors.scope_warnings(self.app.stderr):
            count = self.backups.count(**arguments.params(parsed_args))
        return ('count',), (count,)


PARENT_LABEL = 'Parent (inferred)'


class ShowBackup(_BackupCommand, command.ShowOne):
    _description = 'Show one VBS backup: every field the server sends'

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'backup', metavar='<backup>',
            help='Backup to show (name or ID; a name is looked up in your '
                 'project, or in the scope of --all-projects or --project)')
        arguments.add_scope(parser)
        return parser

    def take_action(self, parsed_args):
        with errors.scope_warnings(self.app.stderr):
            backup = self.backups.find(
                parsed_args.backup,
                **arguments.params(parsed_args, arguments.SCOPE))
        data = backup.to_dict()
        keys = columns.shown_keys(data)
        headers = list(columns.headers(keys))
        values = list(columns.row(backup, keys))
        if 'metadata' in keys and isinstance(data['metadata'], dict):
            at = keys.index('metadata')
            values[at] = format_columns.DictColumn(data['metadata'])
        if backup.is_incremental is True:
            # Not sent by the API: inferred (one filtered request).
            parent = self.backups.parent_of(backup)
            at = (keys.index('is_incremental') + 1
                  if 'is_incremental' in keys else len(keys))
            headers.insert(at, PARENT_LABEL)
            values.insert(at, parent.id if parent else None)
        if parsed_args.formatter == 'table':
            values = columns.blank_missing(values)
        return tuple(headers), tuple(values)
