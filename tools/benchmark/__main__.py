"""Command line: start the cloud, run the suites, exit 1 on a missed budget.

Run from the repository root in an environment with the plugin and
python-cinderclient installed: ``tox -e benchmark [-- options]``.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile

from tests.harness import cloud as cloud_mod
from tools.benchmark import admin
from tools.benchmark import listing
from tools.benchmark import pages
from tools.benchmark import prune
from tools.benchmark import reports
from tools.benchmark import runner
from tools.benchmark import windows

SUITES = {'listing': listing, 'admin': admin, 'pages': pages,
          'reports': reports, 'windows': windows, 'prune': prune}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='python -m tools.benchmark',
        description='Benchmark openstack vbs backup list against a real '
                    'Keystone and Cinder on loopback.')
    parser.add_argument('--suite', action='append', choices=sorted(SUITES),
                        help='listing (the default), admin (every project '
                             'as admin), pages (concurrent pages), reports '
                             '(the summary), windows (age windows; use with '
                             '--scale 100000), prune (a prune plan: memory '
                             'and requests); repeatable')
    parser.add_argument('--backups', type=int, default=10000,
                        help='backups listed in every round (default '
                             '%(default)s)')
    parser.add_argument('--rounds', type=int, default=3,
                        help='interleaved rounds at --backups (default '
                             '%(default)s)')
    parser.add_argument('--scale', type=int, default=0, metavar='N',
                        help='also N backups (e.g. 100000): listing: peak '
                             'RSS and linear growth; pages: a second size; '
                             'admin, reports: N instead of --backups')
    parser.add_argument('--scale-rounds', type=int, default=2,
                        help='rounds at --scale (default %(default)s)')
    parser.add_argument('--projects', type=int, default=100,
                        help='admin: projects the backups are dealt over '
                             '(default %(default)s)')
    parser.add_argument('--delay', type=float, default=0.1,
                        help='pages: seconds the front adds to each list '
                             'request (default %(default)s)')
    parser.add_argument('--json', metavar='FILE',
                        help='write the raw figures as JSON')
    args = parser.parse_args(argv)
    args.suite = args.suite or ['listing']
    return args


def main(argv=None):
    args = parse_args(argv)
    machine = '%s, %d cores, Python %s' % (
        platform.platform(), os.cpu_count(), platform.python_version())
    print('%s; suites: %s' % (machine, ', '.join(args.suite)), flush=True)
    # Measure as installed: bytecode compiled.
    subprocess.run([sys.executable, '-m', 'compileall', '-q',
                    os.path.join(ROOT, 'vbsclient')], check=True)
    report = {'machine': machine}
    budgets = runner.Budgets()
    cloud = cloud_mod.LocalCloud(osapi_max_limit=runner.PAGE).start()
    try:
        with tempfile.TemporaryDirectory(prefix='vbs-bench-') as tmp:
            clients = runner.Clients(cloud, os.path.join(tmp, 'clouds.yaml'))
            for name in args.suite:
                print('\n== %s' % name, flush=True)
                report[name] = SUITES[name].run(cloud, clients, args,
                                                budgets)
    finally:
        cloud.stop()
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(report, f, indent=1)
    print()
    print('budgets: %d missed' % len(budgets.missed))
    return 1 if budgets.missed else 0


if __name__ == '__main__':
    sys.exit(main())
