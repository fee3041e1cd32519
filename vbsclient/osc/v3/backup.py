"""The ``openstack vbs backup list``, ``count`` and ``show`` commands."""

import gc

from osc_lib.cli import format_columns
from osc_lib.command import command

from vbsclient.api import backups as backups_api
from vbsclient.api import exceptions
from vbsclient.api import versions
from vbsclient.common import backup_fields as fields
from vbsclient.osc.v3 import arguments
from vbsclient.osc.v3 import columns
from vbsclient.osc.v3 import lookup
from vbsclient.osc.v3 import progress


class _BackupCommand:
    """Turns the shared options into API filters, resolving names."""

    def filters(self, parsed_args, gates=()):
        """The API filters, with names resolved to IDs.

        What the microversion cannot carry (filters and ``gates``) is
        refused first, before any name is looked up.
        """
        client = self.app.client_manager.vbs
        filters = {}
        for key, dest, _option in arguments.FILTER_OPTIONS:
            value = getattr(parsed_args, dest)
            if value is not None:
                filters[key] = value
        client.check_gates(list(filters) + list(gates), arguments.LABELS)
        if parsed_args.volume:
            filters['volume_id'] = lookup.volume_id(
                client.volumes, parsed_args.volume, client.project_id)
        if parsed_args.all_projects or parsed_args.project:
            filters['all_tenants'] = 1
        if parsed_args.project:
            filters['project_id'] = lookup.project_id(
                self.app.client_manager.identity, parsed_args.project,
                parsed_args.project_domain)
        return filters

    @staticmethod
    def scope_refused(error, filters):
        """Cinder refuses project_id from non-admins with a 400: say why."""
        if (isinstance(error, exceptions.HTTPError) and error.status == 400
                and 'project_id' in filters
                and 'project_id' in (error.detail or '')):
            return exceptions.ScopeIgnored(
                '--project needs the admin role (the server refused the '
                'project filter: %s)' % error.detail)
        return error

    def check_scope(self, parsed_args, filters, sample, what='backups'):
        """Tell the user when the server ignored all_tenants.

        Cinder drops it for non-admins and lists their own project: the
        owner field (3.18+, admins only by default) is then missing from
        the ``sample`` backups.  ``what`` the command shows, for messages.
        """
        client = self.app.client_manager.vbs
        owner_since = fields.BY_KEY[fields.PROJECT_ID].since
        if ('all_tenants' not in filters or not sample
                or not versions.at_least(client.microversion, owner_since)
                or any(fields.PROJECT_ID in b for b in sample)):
            return
        own = client.project_id
        if filters.get('project_id', own) != own:
            raise exceptions.ScopeIgnored(
                '--project %s needs the admin role: the server ignored it '
                'and answered with the %s of your own project %s'
                % (parsed_args.project, what, own))
        if not parsed_args.project:
            self.app.stderr.write(
                'Warning: --all-projects was ignored by the server (it needs '
                'the admin role); only the %s of your project %s are '
                'listed\n' % (what, own))


class ListBackup(_BackupCommand, command.Lister):
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
        client = self.app.client_manager.vbs
        filters = self.filters(parsed_args,
                               backups_api.sort_gates(parsed_args.sort))
        if parsed_args.long:
            shown = columns.LONG_COLUMNS
        elif 'all_tenants' in filters:
            shown = columns.SCOPED_COLUMNS
        else:
            shown = columns.LIST_COLUMNS
        marker = parsed_args.marker
        if marker:
            marker = lookup.backup_id(client, marker)
        show_progress = progress.Progress.for_stderr()
        backups = client.list(
            filters, limit=parsed_args.limit, marker=marker,
            offset=parsed_args.offset, sort=parsed_args.sort,
            on_page=show_progress, count_total=show_progress is not None,
            labels=arguments.LABELS)
        # Collect every page first: a failure on a later page must not
        # leave a partial listing on stdout.  The pages are large acyclic
        # JSON trees: pausing the cycle collector meanwhile saves about a
        # third of the decoding time.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        sample = []
        try:
            rows = []
            for backup in backups:
                if not sample:
                    sample.append(backup)
                rows.append(columns.row(backup, shown))
        except exceptions.HTTPError as e:
            raise self.scope_refused(e, filters) from e
        finally:
            if gc_was_enabled:
                gc.enable()
            if show_progress:
                show_progress.clear()
        self.check_scope(parsed_args, filters, sample)
        return columns.headers(shown), rows

    def produce_output(self, parsed_args, column_names, data):
        # Tables show a missing field as an empty cell; json and yaml keep
        # null, csv writes "", and value keeps OSC's "None" so that the
        # space-separated fields stay in place.
        if parsed_args.formatter == 'table':
            data = [columns.blank_missing(row) for row in data]
        return super().produce_output(parsed_args, column_names, data)


class CountBackup(_BackupCommand, command.ShowOne):
    _description = ('Count the VBS backups matching the filters '
                    '(one request; needs microversion 3.45)')

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        arguments.add_filters(parser)
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.vbs
        filters = self.filters(parsed_args, ['with_count'])
        try:
            count, sample = client.count(filters, labels=arguments.LABELS)
        except exceptions.HTTPError as e:
            raise self.scope_refused(e, filters) from e
        self.check_scope(parsed_args, filters, sample)
        return ('count',), (count,)


class ShowBackup(command.ShowOne):
    _description = 'Show one VBS backup: every field the server sends'

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'backup', metavar='<backup>',
            help='Backup to show (name or ID)')
        return parser

    def take_action(self, parsed_args):
        backup = lookup.find_backup(self.app.client_manager.vbs,
                                    parsed_args.backup)
        keys = columns.shown_keys(backup)
        values = list(columns.row(backup, keys))
        if 'metadata' in keys and isinstance(backup['metadata'], dict):
            at = keys.index('metadata')
            values[at] = format_columns.DictColumn(backup['metadata'])
        if parsed_args.formatter == 'table':
            values = columns.blank_missing(values)
        return columns.headers(keys), tuple(values)
