"""Run one client command; record its cost and the requests Cinder saw."""

import hashlib
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

from tests.harness import seed

BIN = os.path.dirname(sys.executable)
MIB = 2 ** 20
OSC = os.path.join(BIN, 'openstack')
CINDER = os.path.join(BIN, 'cinder')
LIST_SUFFIX = '/backups/detail'
PAGE = 1000  # osapi_max_limit of every cinder-api the benchmark starts
DISCOVERY = '/v3/'


def page_bound(total):
    """List requests allowed for concurrent pages that overlap by a row."""
    return math.ceil(total / (PAGE - 1)) + 3


class Run(object):
    """Wall, CPU and peak RSS of one command, its output and requests."""

    def __init__(self, wall, cpu, rss, requests, out, keep=False):
        self.wall = wall
        self.cpu = cpu
        self.rss = rss
        self.requests = requests
        # The output itself only when asked (a short one: a report's).
        self.output = out.read().decode() if keep else None
        out.seek(0)
        # Only what the checks need, read in chunks: this process must stay
        # small, see measure().
        digest = hashlib.sha256()
        self.rows = 0
        self.first_line = out.readline().decode().rstrip('\n')
        out.seek(0)
        for chunk in iter(lambda: out.read(1 << 20), b''):
            digest.update(chunk)
            self.rows += chunk.count(b'\n')
        self.digest = digest.hexdigest()

    @property
    def list_calls(self):
        return [r for r in self.requests if r['path'].endswith(LIST_SUFFIX)]

    @property
    def discoveries(self):
        return [r for r in self.requests if r['path'] == DISCOVERY]

    @property
    def others(self):
        """Requests neither listing backups nor discovering versions."""
        return [r for r in self.requests if r['path'] != DISCOVERY
                and not r['path'].endswith(LIST_SUFFIX)]

    @property
    def server_seconds(self):
        return sum(r['seconds'] or 0 for r in self.requests)


def measure(cloud, argv, env, cinder_url=None, keep=False):
    """Run argv; its Run, with the requests of the cinder-api at the URL.

    The main cinder-api unless ``cinder_url`` names an extra one.  The
    child's peak RSS from wait4 includes this process's peak (the child
    starts as its copy), so outputs are not kept here unless ``keep``
    (then ``Run.output``).
    """
    since = cloud.cinder_log_offset(cinder_url)
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out,
                                stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
        err = proc.stderr.read().decode()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.stderr.close()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise SystemExit('%s failed (%d): %s' % (' '.join(argv),
                                                     proc.returncode, err))
        time.sleep(0.2)  # let the request log reach the disk
        out.seek(0)
        return Run(wall, usage.ru_utime + usage.ru_stime,
                   usage.ru_maxrss * 1024, cloud.cinder_requests(
                       since, url=cinder_url), out, keep)


def med(values):
    return statistics.median(values)


def fmt_range(values, unit='s'):
    """Median (min-max); bytes shown in MiB with unit 'MiB'."""
    if unit == 'MiB':
        values = [v / 2 ** 20 for v in values]
        return '%.0f (%.0f-%.0f)' % (med(values), min(values), max(values))
    return '%.2f (%.2f-%.2f)' % (med(values), min(values), max(values))


def cost_columns(runs):
    """Wall, client CPU and peak RSS of a command's runs, as table cells."""
    return '%-20s %-20s %-14s' % (
        fmt_range([r.wall for r in runs]), fmt_range([r.cpu for r in runs]),
        fmt_range([r.rss for r in runs], 'MiB'))


COST_HEADER = '%-20s %-20s %-14s' % ('wall s', 'client CPU s', 'peak RSS MiB')


def raw(runs):
    """A command's runs as JSON-able figures."""
    return {'wall': [r.wall for r in runs], 'cpu': [r.cpu for r in runs],
            'rss': [r.rss for r in runs],
            'list_calls': [len(r.list_calls) for r in runs],
            'server_seconds': [r.server_seconds for r in runs]}


class Budgets(object):
    """Prints each budget check; remembers the missed ones."""

    def __init__(self):
        self.missed = []

    def check(self, ok, text):
        print('%s %s' % ('ok  ' if ok else 'MISS', text), flush=True)
        if not ok:
            self.missed.append(text)

    def rss_above_token(self, runs, name, label, budget_mib, total):
        """``name``'s peak RSS at most ``budget_mib`` above token issue's."""
        token = max(r.rss for r in runs['token issue'])
        ours = max(r.rss for r in runs[name])
        self.check(ours - token <= budget_mib * MIB,
                   '%s peak RSS %.0f MiB = token issue %.0f MiB + %.1f MiB '
                   'at %d backups (budget +%d MiB)' % (
                       label, ours / MIB, token / MIB, (ours - token) / MIB,
                       total, budget_mib))

    def one_listing(self, result, label, total):
        """``result`` sent one listing, a discovery at most, nothing else."""
        self.check(len(result.list_calls) <= page_bound(total)
                   and len(result.discoveries) <= 1 and not result.others,
                   '%s requests: %d list calls (one listing: budget %d), %d '
                   'discovery, %d other' % (
                       label, len(result.list_calls), page_bound(total),
                       len(result.discoveries), len(result.others)))


class Clients(object):
    """Environments for ``openstack`` and ``cinder`` as member or admin.

    ``openstack`` reads a clouds.yaml written for the cloud; ``cinder`` gets
    OS_* variables.  Nothing of the caller's OS_* settings or tox's
    PYTHONDONTWRITEBYTECODE leaks in: measured as installed.
    """

    def __init__(self, cloud, clouds_yaml):
        self.cloud = cloud
        cloud.write_clouds_yaml(clouds_yaml)
        self.base = {k: v for k, v in os.environ.items()
                     if not k.startswith('OS_')
                     and k != 'PYTHONDONTWRITEBYTECODE'}
        self.base['OS_CLIENT_CONFIG_FILE'] = clouds_yaml

    def osc(self, user='member', **extra):
        name = 'vbs-local' if user == 'member' else 'vbs-local-admin'
        return dict(self.base, OS_CLOUD=name, **extra)

    def cinder(self, user='member'):
        creds = self.cloud.member if user == 'member' else self.cloud.admin
        env = {k: v for k, v in self.base.items()
               if k != 'OS_CLIENT_CONFIG_FILE'}
        env.update(
            OS_AUTH_URL=self.cloud.keystone_url, OS_USERNAME=creds.username,
            OS_PASSWORD=creds.password, OS_PROJECT_NAME=creds.project_name,
            OS_USER_DOMAIN_NAME='Default', OS_PROJECT_DOMAIN_NAME='Default',
            OS_REGION_NAME='RegionOne', OS_IDENTITY_API_VERSION='3')
        return env


def seed_member(cloud, args):
    """(backups, rounds): the member's project seeded afresh for a suite."""
    total = args.scale or args.backups
    cloud.clear_backups()
    seed.seed_many(cloud.cinder_db_path, total, [cloud.member.project_id],
                   cloud.member.user_id)
    return total, args.scale_rounds if args.scale else args.rounds


def rounds(cloud, commands, env, count, width, keep=()):
    """{name: [Result per round]} of ``commands`` ((name, argv) pairs).

    Each round is printed as it ends; ``keep``: names whose output is kept.
    """
    runs = {name: [] for name, _argv in commands}
    for round_no in range(count):
        for name, argv in commands:
            result = measure(cloud, argv, env, keep=name in keep)
            runs[name].append(result)
            print('round %d: %-*s %7.2f s wall %7.2f s CPU %5.0f MiB'
                  % (round_no + 1, width, name, result.wall, result.cpu,
                     result.rss / 2 ** 20), flush=True)
    return runs


def cost_table(total, count, commands, runs, width):
    """Print the medians of ``runs``; return the report of their figures."""
    report = {'backups': total, 'rounds': count}
    print()
    print('%d backups, pages of 1000, %d rounds, median (min-max)'
          % (total, count))
    print('%-*s %s %5s %8s' % (width, 'command', COST_HEADER, 'lists',
                               'server s'))
    for name, _argv in commands:
        rs = runs[name]
        print('%-*s %s %5d %8.2f' % (
            width, name, cost_columns(rs), len(rs[0].list_calls),
            med([r.server_seconds for r in rs])))
        report[name] = raw(rs)
    return report
