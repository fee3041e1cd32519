"""The options of the backup commands and their checks, before any
request is sent."""

import argparse

from vbsclient.api.query import params as query
from vbsclient.api.reports import coverage as coverage_api
from vbsclient.api.reports import summary as summary_api
from vbsclient import exceptions

STATUSES = query.STATUSES

# The options of the list filters and of the scope; each dest is the
# library's keyword.
SCOPE = ('all_projects', 'project', 'project_domain')
FILTERS = ('name', 'status', 'volume', 'name_like', 'status_like',
           'volume_like', 'incremental') + SCOPE + query.WINDOWS
PAGING = ('sort', 'marker', 'offset', 'limit')
# prune takes the filters but the statuses: the policy decides on status.
PRUNE_FILTERS = tuple(f for f in FILTERS
                      if f not in ('status', 'status_like'))

# The group keys of --group-by as the CLI spells them (availability-zone),
# by the library's key (availability_zone); group_keys() reads them back.
GROUP_KEYS = {k.name: k.name.replace('_', '-')
              for k in summary_api.GROUP_KEYS}


def group_keys(text):
    """--group-by's keys in the library's spelling (both are taken).

    A key of neither spelling stays as typed, for the library's message.
    """
    known = {cli: name for name, cli in GROUP_KEYS.items()}
    return ','.join(known.get(key.strip(), key.strip())
                    for key in text.split(','))


def params(parsed_args, names=FILTERS):
    """The library keywords of the options given."""
    return {name: getattr(parsed_args, name) for name in names
            if getattr(parsed_args, name, None) is not None}


def non_negative_int(text):
    try:
        value = int(text, 10)
    except (TypeError, ValueError):
        value = -1
    if value < 0 or value > query.MAX_INT:
        raise argparse.ArgumentTypeError(
            '%r is not an integer from 0 to %d' % (text, query.MAX_INT))
    return value


def sort_spec(text):
    """``key[:asc|desc][,...]`` checked and sent as given."""
    try:
        return query.check_sort(text)
    except exceptions.InvalidParameter as e:
        raise argparse.ArgumentTypeError(e.reason)


class Once(argparse.Action):
    """A single-valued option: a second occurrence is refused, not kept.

    argparse keeps the last silently, which narrows a listing the user
    meant to widen (``--status available --status error``).
    """

    def __call__(self, parser, namespace, values, option_string=None):
        given = vars(namespace).setdefault('_options_given', set())
        if option_string in given:
            raise argparse.ArgumentError(
                None, '%s given twice' % option_string)
        given.add(option_string)
        setattr(namespace, self.dest, values)


class TotalLimit(Once):
    """--limit and --max-items: one total, given once or twice the same."""

    def __call__(self, parser, namespace, values, option_string=None):
        given = getattr(namespace, '_limit_option', None)
        if given and given != option_string and namespace.limit != values:
            raise argparse.ArgumentError(
                self, 'conflicts with %s %d: give one of them'
                % (given, namespace.limit))
        super().__call__(parser, namespace, values, option_string)
        namespace._limit_option = option_string


def add_filters(parser, statuses=True):
    parser.add_argument(
        '--name', metavar='<name>', action=Once,
        help='Only backups with exactly this name')
    if statuses:
        parser.add_argument(
            '--status', metavar='<status>', type=str.lower,
            choices=STATUSES, action=Once,
            help='Only backups in this status (%s)' % ', '.join(STATUSES))
    parser.add_argument(
        '--volume', metavar='<volume>', action=Once,
        help='Only backups of this volume (name or ID; an ID, with or '
             'without hyphens, in any case, is sent unchecked, in Cinder\'s '
             'lower-case hyphenated form, so a deleted volume\'s backups '
             'stay listable)')
    like = ('(ignoring case; the %s filter, supported by '
            '--os-vbs-backup-api-version 3.31 or above; with _ or %%%% in '
            '<text>, which the server takes as wildcards, the client also '
            'checks each row)')
    parser.add_argument(
        '--name-like', metavar='<text>', action=Once,
        help='Only backups whose name contains <text> ' + like % 'name~')
    if statuses:
        parser.add_argument(
            '--status-like', metavar='<text>', action=Once,
            help='Only backups whose status contains <text> '
                 + like % 'status~')
    parser.add_argument(
        '--volume-like', metavar='<text>', action=Once,
        help='Only backups whose volume ID contains <text> '
             + like % 'volume_id~')
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument(
        '--incremental', action='store_const', const=True,
        dest='incremental',
        help='Only incremental backups (the Incremental column, checked '
             'on the client: a count with it reads the listing)')
    kind.add_argument(
        '--full', action='store_const', const=False, dest='incremental',
        help='Only full backups (the same way)')
    add_scope(parser)
    add_windows(parser)


TIME = ('<time> is a date (2026-11-01: midnight UTC), a date-time with or '
        'without a zone (2026-11-01T08:00, ...Z, ...+02:00; none means UTC) '
        'or an age such as 30d (units s, m, h, d, w)')


def add_windows(parser):
    # Parsed by the library, so an error names the option once, in one
    # line, and Python callers get the same checks.
    parser.add_argument(
        '--created-before', metavar='<time>', action=Once,
        help='Only backups created before <time>; %s' % TIME)
    parser.add_argument(
        '--created-after', metavar='<time>', action=Once,
        help='Only backups created at or after <time> (with '
             '--created-before: the window [after, before))')
    parser.add_argument(
        '--data-timestamp-before', metavar='<time>', action=Once,
        help='Only backups whose data timestamp (when the backed-up data '
             'was taken) is before <time>; a backup without one is in no '
             'window')
    parser.add_argument(
        '--data-timestamp-after', metavar='<time>', action=Once,
        help='Only backups whose data timestamp is at or after <time>. '
             'Windows on the listing\'s sort field (created_at by default) '
             'read only the window\'s pages; see "Retention audits" in the '
             'docs')


def add_scope(parser):
    parser.add_argument(
        '--all-projects', action='store_true', default=False,
        help='Backups of every project (admin only; the server ignores it '
             'for other users, which is reported)')
    parser.add_argument(
        '--project', metavar='<project>', action=Once,
        help='Only backups of this project (name or ID; admin only)')
    parser.add_argument(
        '--project-domain', metavar='<project-domain>', action=Once,
        help='Domain the project belongs to (name or ID), to tell projects '
             'of the same name apart')


def add_paging(parser):
    parser.add_argument(
        '--sort', metavar='<key>[:<direction>][,...]', type=sort_spec,
        action=Once,
        help='Sort on the server, so the order holds across pages and with '
             '--limit: keys %s (name needs --os-vbs-backup-api-version 3.37 '
             'or above); direction asc or desc (without one, the '
             'server\'s: descending)' % ', '.join(query.SORT_KEYS))
    parser.add_argument(
        '--marker', metavar='<backup>', action=Once,
        help='Start after this backup (name or ID)')
    parser.add_argument(
        '--offset', metavar='<n>', type=non_negative_int, action=Once,
        help='Skip the first <n> matching backups')
    parser.add_argument(
        '--limit', metavar='<n>', type=non_negative_int, action=TotalLimit,
        help='Return at most <n> backups in total (default: all, paging '
             'through every page)')
    parser.add_argument(
        '--max-items', metavar='<n>', type=non_negative_int,
        action=TotalLimit, dest='limit',
        help='The same as --limit (the name OSC gives the total)')


def add_group_by(parser):
    parser.add_argument(
        '--group-by', metavar='<key>[,<key>...]', default='status',
        action=Once,
        help='Group the backups by these keys, in this order: %s '
             '(month: the UTC year-month of the creation time; '
             'volume and project add the name beside the ID; '
             'default: status). '
             'Size (GB) is the sum of the sizes Cinder records for the '
             'backups (their volume\'s size), not of the bytes stored'
             % ', '.join(GROUP_KEYS.values()))


def add_max_age(parser):
    parser.add_argument(
        '--max-age', metavar='<age>', action=Once,
        default=coverage_api.DEFAULT_MAX_AGE,
        help='A volume is covered when a backup of it in status '
             'available or restoring restores to a point (its data '
             'timestamp, else its creation time) at most <age> ago: '
             '<n><unit>, the unit one of s, m, h, d, w (36h, 7d; '
             'default: 1d)')


# add_policy's dests: plan_prune's policy keywords.
POLICY = ('keep_last', 'keep_hourly', 'keep_daily', 'keep_weekly',
          'keep_monthly', 'keep_yearly', 'keep_within', 'timezone',
          'remove_errors')


def add_policy(parser):
    """prune's keep policy (each dest is plan_prune's keyword, POLICY)."""
    parser.add_argument(
        '--keep-last', metavar='<n>', type=non_negative_int, action=Once,
        help='Keep the <n> newest available backups of each volume')
    for period, unit in (('hourly', 'hours'), ('daily', 'days'),
                         ('weekly', 'ISO weeks'), ('monthly', 'months'),
                         ('yearly', 'years')):
        parser.add_argument(
            '--keep-%s' % period, metavar='<n>', type=non_negative_int,
            action=Once,
            help='Keep the newest backup of each of the <n> most recent %s '
                 'that have one (periods without a backup do not count)'
                 % unit)
    parser.add_argument(
        '--keep-within', metavar='<age>', action=Once,
        help='Keep every backup created within <age> of now: <n><unit>, '
             'the unit one of s, m, h, d, w (30d, 12h, 2w)')
    parser.add_argument(
        '--timezone', metavar='<zone>', default='UTC', action=Once,
        help='IANA time zone whose calendar the hourly to yearly rules use '
             '(default: UTC)')
    parser.add_argument(
        '--remove-errors', action='store_true', default=False,
        help='Remove backups in status error too (by default they are '
             'skipped, and keep their parents)')
