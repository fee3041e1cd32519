"""The options of the backup commands and their checks, before any
request is sent."""

import argparse

from vbsclient.api import backups as backups_api

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
LABELS.update({
    'with_count': '"vbs backup count"',
    'marker': '--marker',
    'sort:name': '--sort name',
})


def non_negative_int(text):
    try:
        value = int(text, 10)
    except (TypeError, ValueError):
        value = -1
    if value < 0 or value > MAX_INT:
        raise argparse.ArgumentTypeError(
            '%r is not an integer from 0 to %d' % (text, MAX_INT))
    return value


def sort_spec(text):
    """``key[:asc|desc][,...]`` checked and sent as given."""
    items = text.split(',')
    for item in items:
        key, sep, direction = item.partition(':')
        if key not in backups_api.SORT_KEYS:
            raise argparse.ArgumentTypeError(
                'unknown sort key %r; use one of %s' % (
                    key, ', '.join(backups_api.SORT_KEYS)))
        if sep and direction not in backups_api.SORT_DIRS:
            raise argparse.ArgumentTypeError(
                'unknown sort direction %r for %s; use %s' % (
                    direction, key, ' or '.join(backups_api.SORT_DIRS)))
    keys = [item.partition(':')[0] for item in items]
    if len(set(keys)) != len(keys):
        raise argparse.ArgumentTypeError(
            'sort key given twice in %r' % text)
    return text


class TotalLimit(argparse.Action):
    """--limit and --max-items: one total, given once or twice the same."""

    def __call__(self, parser, namespace, values, option_string=None):
        given = getattr(namespace, '_limit_option', None)
        if given and given != option_string and namespace.limit != values:
            raise argparse.ArgumentError(
                self, 'conflicts with %s %d: give one of them'
                % (given, namespace.limit))
        namespace._limit_option = option_string
        namespace.limit = values


def add_filters(parser):
    parser.add_argument(
        '--name', metavar='<name>',
        help='Only backups with exactly this name')
    parser.add_argument(
        '--status', metavar='<status>', type=str.lower, choices=STATUSES,
        help='Only backups in this status (%s)' % ', '.join(STATUSES))
    parser.add_argument(
        '--volume', metavar='<volume>',
        help='Only backups of this volume (name or ID; an ID is used as '
             'it is, so a deleted volume\'s backups stay listable)')
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
    add_scope(parser)


def add_scope(parser):
    parser.add_argument(
        '--all-projects', action='store_true', default=False,
        help='Backups of every project (admin only; the server ignores it '
             'for other users, which is reported)')
    parser.add_argument(
        '--project', metavar='<project>',
        help='Only backups of this project (name or ID; admin only)')
    parser.add_argument(
        '--project-domain', metavar='<project-domain>',
        help='Domain the project belongs to (name or ID), to tell projects '
             'of the same name apart')


def add_paging(parser):
    parser.add_argument(
        '--sort', metavar='<key>[:<direction>][,...]', type=sort_spec,
        help='Sort on the server, so the order holds across pages and with '
             '--limit: keys %s (name needs --os-vbs-backup-api-version 3.37 '
             'or above); direction asc or desc (without one, the '
             'server\'s: descending)' % ', '.join(backups_api.SORT_KEYS))
    parser.add_argument(
        '--marker', metavar='<backup>',
        help='Start after this backup (name or ID)')
    parser.add_argument(
        '--offset', metavar='<n>', type=non_negative_int,
        help='Skip the first <n> matching backups')
    parser.add_argument(
        '--limit', metavar='<n>', type=non_negative_int, action=TotalLimit,
        help='Return at most <n> backups in total (default: all, paging '
             'through every page)')
    parser.add_argument(
        '--max-items', metavar='<n>', type=non_negative_int,
        action=TotalLimit, dest='limit',
        help='The same as --limit (the name OSC gives the total)')
