"""The ``openstack vbs backup metrics`` command: Prometheus text on
stdout, or atomically in a file for node_exporter's textfile collector.

One call of ``client.backups.metrics``, rendered by
``vbsclient.api.reports.exposition``; the run-health series are measured
here.  A failed run writes the file all the same, with
``vbs_metrics_success 0``, so that an alert fires.
"""

import contextlib
import datetime
import os
import tempfile
import time

from osc_lib.command import command
from osc_lib import exceptions as osc_exceptions

from vbsclient.api.reports import exposition
from vbsclient.api.reports import metrics as metrics_api
from vbsclient import exceptions
from vbsclient.osc.v3 import arguments
from vbsclient.osc.v3 import backup
from vbsclient.osc.v3 import errors


class MetricsBackup(backup._BackupCommand, command.Command):
    _description = (
        'Print metrics of the VBS backups in Prometheus text exposition '
        'format 0.0.4: backups per status, the newest and oldest available '
        'backup, volumes and uncovered volumes (as "vbs backup coverage" '
        'judges them), and the run\'s health.  Not a listing: OSC\'s output '
        'formatters (-f, -c) do not apply.  The list filters select the '
        'backups counted; the volumes follow the scope only.  Reads '
        'single-row requests and what coverage reads, not the listing.')
    # OSC would authenticate before the command runs, so a Keystone that
    # fails would leave no textfile: the command authenticates itself.
    auth_required = False

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        arguments.add_max_age(parser)
        parser.add_argument(
            '--per-volume', action='store_true', default=False,
            help='Add vbs_volume_last_backup_timestamp_seconds per volume '
                 '(labels volume_id and volume_name; 0: never backed up)')
        parser.add_argument(
            '--sizes', action='store_true', default=False,
            help='Add vbs_backup_size_gigabytes per status.  This reads the '
                 'whole listing (every page), unlike the other series')
        parser.add_argument(
            '--textfile', metavar='<path>', action=arguments.Once,
            help='Write the metrics to <path> instead of stdout, atomically '
                 '(a temporary file in the same directory, then renamed), '
                 'for node_exporter\'s textfile collector (a name ending in '
                 '.prom). On a failure the file is written too, with '
                 'vbs_metrics_success 0; the exit status is then 1')
        arguments.add_filters(parser)
        return parser

    def take_action(self, parsed_args):
        started = time.monotonic()
        values = failure = None
        try:
            metrics_api.check(arguments.params(parsed_args),
                              parsed_args.max_age)
            self._authenticate()
            with errors.scope_warnings(self.app.stderr):
                values = self.backups.metrics(
                    max_age=parsed_args.max_age,
                    per_volume=parsed_args.per_volume,
                    sizes=parsed_args.sizes,
                    **arguments.params(parsed_args))
        except Exception as e:
            failure = e
        run = metrics_api.Run(
            success=failure is None,
            duration=time.monotonic() - started,
            finished=datetime.datetime.now(datetime.timezone.utc))
        text = exposition.render(values, run)
        if parsed_args.textfile:
            try:
                write_atomically(parsed_args.textfile, text)
            except OSError as e:
                raise osc_exceptions.CommandError(
                    '%scannot write --textfile %s: %s' % (
                        _cause(failure), parsed_args.textfile,
                        e.strerror or e)) from failure
        elif failure is None:
            self.app.stdout.write(text)
        if failure is not None:
            raise failure
        return 0

    def _authenticate(self):
        # What OSC does before a command that needs authentication.
        self.auth_required = True
        self.app.prepare_to_run_command(self)


def _cause(failure):
    """The failure as the start of a combined line ('' without one)."""
    if failure is None:
        return ''
    if isinstance(failure, exceptions.VBSError):
        return '%s; ' % errors.in_cli_words(failure)
    return '%s; ' % failure


def write_atomically(path, text):
    """Write ``text`` to ``path`` whole or not at all.

    A temporary file in the same directory (hidden and without the .prom
    suffix, so the collector skips it), synced, then renamed over
    ``path``; it is removed when anything fails.  The file's mode is
    what a plain open would give (0666 less the umask).
    """
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(
        dir=directory, prefix='.%s.' % os.path.basename(path),
        suffix='.tmp')
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
