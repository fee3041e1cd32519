"""The ``openstack vbs backup list`` and ``count`` commands."""

import argparse
import gc
import logging

from osc_lib.command import command

from vbsclient.osc.v3 import columns
from vbsclient.osc.v3 import progress

LOG = logging.getLogger(__name__)

# The vendor's statuses, plus Cinder's error_deleting.
STATUSES = ('available', 'creating', 'deleting', 'error', 'error_deleting',
            'error_restoring', 'restoring')

# Matches Cinder's DB_MAX_INT: larger values are refused by the server.
MAX_INT = 2 ** 31 - 1

# API filter -> the option that sets it, for messages.
FILTER_OPTIONS = (
    ('name', 'name', '--name'),
    ('status', 'status', '--status'),
    ('volume_id', 'volume', '--volume'),
    ('name~', 'name_like', '--name-like'),
    ('status~', 'status_like', '--status-like'),
    ('volume_id~', 'volume_like', '--volume-like'),
)
LABELS = {key: option for key, _dest, option in FILTER_OPTIONS}
LABELS['with_count'] = '"vbs backup count"'


def non_negative_int(text):
    try:
        value = int(text, 10)
    except (TypeError, ValueError):
        value = -1
    if value < 0 or value > MAX_INT:
        raise argparse.ArgumentTypeError(
            '%r is not an integer from 0 to %d' % (text, MAX_INT))
    return value


def add_filter_arguments(parser):
    parser.add_argument(
        '--name', metavar='<name>',
        help='Only backups with exactly this name')
    parser.add_argument(
        '--status', metavar='<status>', type=str.lower, choices=STATUSES,
        help='Only backups in this status (%s)' % ', '.join(STATUSES))
    parser.add_argument(
        '--volume', metavar='<volume-id>',
        help='Only backups of the volume with this ID')
    parser.add_argument(
        '--name-like', metavar='<text>',
        help='Only backups whose name contains <text> (the name~ filter; '
             'supported by --os-vbs-backup-api-version 3.31 or above)')
    parser.add_argument(
        '--status-like', metavar='<text>',
        help='Only backups whose status contains <text> (the status~ '
             'filter; supported by --os-vbs-backup-api-version 3.31 or '
             'above)')
    parser.add_argument(
        '--volume-like', metavar='<text>',
        help='Only backups whose volume ID contains <text> (the volume_id~ '
             'filter; supported by --os-vbs-backup-api-version 3.31 or '
             'above)')


def filters_from_args(parsed_args):
    filters = {}
    for key, dest, _option in FILTER_OPTIONS:
        value = getattr(parsed_args, dest)
        if value is not None:
            filters[key] = value
    return filters


class ListBackup(command.Lister):
    _description = 'List VBS backups, fetching every page'

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_filter_arguments(parser)
        parser.add_argument(
            '--marker', metavar='<backup-id>',
            help='Start after the backup with this ID')
        parser.add_argument(
            '--offset', metavar='<n>', type=non_negative_int,
            help='Skip the first <n> matching backups')
        parser.add_argument(
            '--limit', metavar='<n>', type=non_negative_int,
            help='Return at most <n> backups in total (default: all, '
                 'paging through every page)')
        parser.add_argument(
            '--long', action='store_true', default=False,
            help='List additional fields in output')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.vbs
        filters = filters_from_args(parsed_args)
        shown = columns.LONG_COLUMNS if parsed_args.long else (
            columns.LIST_COLUMNS)
        show_progress = progress.Progress.for_stderr()
        backups = client.list(
            filters, limit=parsed_args.limit, marker=parsed_args.marker,
            offset=parsed_args.offset, on_page=show_progress,
            count_total=show_progress is not None, labels=LABELS)
        # Collect every page first: a failure on a later page must not
        # leave a partial listing on stdout.  The pages are large acyclic
        # JSON trees: pausing the cycle collector meanwhile saves about a
        # third of the decoding time.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            rows = [columns.row(backup, shown) for backup in backups]
        finally:
            if gc_was_enabled:
                gc.enable()
            if show_progress:
                show_progress.clear()
        return columns.headers(shown), rows

    def produce_output(self, parsed_args, column_names, data):
        # Tables show a missing field as an empty cell; json and yaml keep
        # null, csv writes "", and value keeps OSC's "None" so that the
        # space-separated fields stay in place.
        if parsed_args.formatter == 'table':
            data = [columns.blank_missing(row) for row in data]
        return super().produce_output(parsed_args, column_names, data)


class CountBackup(command.ShowOne):
    _description = ('Count the VBS backups matching the filters '
                    '(one request; needs microversion 3.45)')

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_filter_arguments(parser)
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.vbs
        return ('count',), (client.count(filters_from_args(parsed_args),
                                         labels=LABELS),)
