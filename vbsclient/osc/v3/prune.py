"""The ``openstack vbs backup prune`` command: a keep policy's plan, and
with ``--apply`` its removals deleted.

It maps its options to ``client.backups.plan_prune`` (and ``prune``) and
formats the decisions; the library's errors and reasons are worded with
option names.
"""

import contextlib

from vbsclient.api.retention import apply as apply_api
from vbsclient.api.retention import decision
from vbsclient.common import backup_fields as fields
from vbsclient import exceptions
from vbsclient.osc.v3 import arguments
from vbsclient.osc.v3 import backup
from vbsclient.osc.v3 import columns
from vbsclient.osc.v3 import errors
from vbsclient.osc.v3 import progress

KEYS = ('id', 'name', 'volume_id', 'created_at', 'is_incremental', 'status')
# Exit status after Ctrl-C, as the shell's.
INTERRUPTED = 130


class PruneBackup(backup._Lister):
    _description = (
        'Plan which VBS backups a keep policy removes, per volume, with the '
        'reason for each; with --apply, delete them (children before '
        'parents). Only available backups count; the newest of each volume '
        'is always kept, and a backup that stays keeps its incremental '
        'chain')

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        arguments.add_policy(parser)
        arguments.add_filters(parser, statuses=False)
        parser.add_argument(
            '--apply', action='store_true', default=False,
            help='Delete the removals (without it nothing is deleted) and '
                 'show each one\'s result; exit status 1 when any was not '
                 'removed')
        return parser

    def run(self, parsed_args):
        self.exit_status = 0
        self.failure = None
        status = super().run(parsed_args)
        if self.failure:
            self.app.stderr.write(self.failure + '\n')
        return status or self.exit_status

    def take_action(self, parsed_args):
        params = arguments.params(
            parsed_args, arguments.POLICY + arguments.PRUNE_FILTERS)
        if parsed_args.apply:
            with self.reading() as on_page:
                decisions = self.backups.plan_prune(on_page=on_page,
                                                    **params)
            decisions = self.apply(decisions)
        else:
            # A plan is printed as it is made, volume by volume: it need
            # not hold every backup of the cloud.
            decisions = self.planned(params)
        keys = KEYS
        if parsed_args.all_projects or parsed_args.project:
            keys += (fields.PROJECT_ID,)
        headers = ('Action', 'Reason') + columns.headers(keys)
        if parsed_args.apply:
            headers += ('Result',)
        names = errors.OPTION_NAMES
        # Rows as they are printed: a plan may hold every backup of a cloud.
        return headers, (
            (d.action, d.reason_text(names)) + columns.row(d.backup, keys)
            + ((d.result or '',) if parsed_args.apply else ())
            for d in decisions)

    def planned(self, params):
        """The decisions, read while they are printed.

        Bad input is refused here, before anything is printed.
        """
        with contextlib.ExitStack() as stack:
            on_page = stack.enter_context(self.reading())
            decisions = self.backups.plan_prune(on_page=on_page, lazy=True,
                                                **params)
            # The reading goes on while the rows are printed.
            reading = stack.pop_all()

        def read():
            with reading:
                yield from decisions
        return read()

    def apply(self, decisions):
        """The decisions with results; sets the exit status and line."""
        removals = sum(d.action == decision.REMOVE for d in decisions)
        shown = progress.Removals.for_stderr()
        try:
            decisions = self.backups.prune(decisions, progress=shown)
        except exceptions.BackupServiceUnavailable as e:
            decisions = e.decisions
            self.failure = errors.in_cli_words(e)
        except KeyboardInterrupt as e:
            decisions = getattr(e, 'decisions', None)
            if decisions is None:
                raise
            self.exit_status = INTERRUPTED
        finally:
            if shown:
                shown.clear()
        removed = sum(apply_api.done(d.result) for d in decisions
                      if d.action == decision.REMOVE)
        if self.exit_status == INTERRUPTED:
            self.failure = ('interrupted: %d of %d removed; no backup was '
                            'deleted after Ctrl-C' % (removed, removals))
        elif removed < removals:
            self.exit_status = 1
        return decisions
