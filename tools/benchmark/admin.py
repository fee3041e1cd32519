"""The admin's listing of every project's backups, against OSC and cinder.

Backups are dealt over --projects projects (the admin's own and others that
exist only as project ids in Cinder's rows: ``all_tenants=1`` lists them
all).  Interleaved over the rounds, as admin: ``openstack token issue``,
``openstack vbs backup list --all-projects -f value`` (with the default
settings and with ``OS_VBS_PAGE_CONCURRENCY=1``), ``openstack volume
backup list --all-projects -f value`` and ``cinder backup-list
--all-tenants``: wall, CPU, peak RSS, rows printed, list requests and any
other request (``volume backup list`` lists volumes to show their names).

Budgets: the plugin has ``--all-projects`` and prints every backup, with
no more list requests than cinderclient at concurrency 1 (at most
ceil(N / 999) + 3 with the default settings) and no other request but one
version discovery.  Without the option yet, plain ``vbs backup list`` (the
admin's own project) is measured in its place and the first budget misses.
"""

import subprocess
import uuid

from tests.harness import seed
from tools.benchmark import runner

VBS = 'vbs backup list --all-projects -f value'
VBS_SEQUENTIAL = '  same, OS_VBS_PAGE_CONCURRENCY=1'
VBS_OWN = 'vbs backup list -f value (own project)'
VOLUME = 'volume backup list --all-projects -f value'
CINDER = 'cinder backup-list --all-tenants'


def project_ids(admin_project, count):
    """The admin's project and count - 1 others, as Cinder stores ids."""
    return [admin_project] + [
        uuid.uuid5(uuid.NAMESPACE_URL, 'vbs-bench-project-%d' % k).hex
        for k in range(1, count)]


def has_all_projects(env):
    helptext = subprocess.run(
        [runner.OSC, 'vbs', 'backup', 'list', '--help'], env=env,
        capture_output=True, text=True, check=True).stdout
    return '--all-projects' in helptext


def rows(name, result):
    if name == CINDER:  # a table: 3 border lines and a header line
        return result.rows - 4
    return result.rows


def run(cloud, clients, args, budgets):
    """Measure, print the table and check the budgets; return the figures."""
    total = args.scale or args.backups
    rounds = args.scale_rounds if args.scale else args.rounds
    cloud.clear_backups()
    seed.seed_many(cloud.cinder_db_path, total,
                   project_ids(cloud.admin.project_id, args.projects),
                   cloud.admin.user_id)
    env = clients.osc('admin')
    option = has_all_projects(env)
    vbs = [runner.OSC, 'vbs', 'backup', 'list', '-f', 'value']
    commands = [
        ('token issue',
         [runner.OSC, 'token', 'issue', '-f', 'value', '-c', 'id'], env),
        (VBS, vbs + ['--all-projects'], env) if option else
        (VBS_OWN, vbs, env),
        (VBS_SEQUENTIAL, vbs + ['--all-projects'],
         dict(env, OS_VBS_PAGE_CONCURRENCY='1')),
        (VOLUME, [runner.OSC, 'volume', 'backup', 'list', '--all-projects',
                  '-f', 'value'], env),
        (CINDER, [runner.CINDER, 'backup-list', '--all-tenants'],
         clients.cinder('admin')),
    ]
    if not option:
        del commands[2]
        print('the plugin has no --all-projects yet: measuring "%s" in its '
              'place' % VBS_OWN, flush=True)
    runs = {name: [] for name, _argv, _env in commands}
    for round_no in range(rounds):
        for name, argv, cmd_env in commands:
            result = runner.measure(cloud, argv, cmd_env)
            runs[name].append(result)
            print('round %d: %-50s %7.2f s wall %7.2f s CPU'
                  % (round_no + 1, name, result.wall, result.cpu),
                  flush=True)

    report = {'backups': total, 'projects': args.projects, 'rounds': rounds}
    print()
    print('%d backups over %d projects, as admin, pages of 1000, %d rounds, '
          'median (min-max)' % (total, args.projects, rounds))
    print('%-50s %s %7s %5s %s' % ('command', runner.COST_HEADER, 'rows',
                                   'lists', 'other requests'))
    for name, _argv, _env in commands:
        rs = runs[name]
        others = sorted({'%s %s' % (r['method'], r['path'])
                         for r in rs[0].others})
        print('%-50s %s %7d %5d %s' % (
            name, runner.cost_columns(rs), rows(name, rs[0]),
            len(rs[0].list_calls), ', '.join(others) or '-'))
        report[name] = dict(runner.raw(rs), rows=rows(name, rs[0]),
                            others=others)

    print()
    check = budgets.check
    check(option, 'vbs backup list has --all-projects')
    if option:
        ours = runs[VBS][0]
        sequential = runs[VBS_SEQUENTIAL][0]
        theirs = runs[CINDER][0]
        check(rows(VBS, ours) == total == rows(VBS, sequential),
              '--all-projects: %d rows of %d (concurrency 1: %d)'
              % (rows(VBS, ours), total, rows(VBS, sequential)))
        check(len(sequential.list_calls) <= len(theirs.list_calls)
              and len(ours.list_calls) <= runner.page_bound(total)
              and all(len(r.discoveries) <= 1 and not r.others
                      for r in (ours, sequential)),
              '--all-projects requests: %d list calls (budget %d), '
              'concurrency 1: %d (cinder backup-list %d); %d discovery, %d '
              'other' % (len(ours.list_calls), runner.page_bound(total),
                         len(sequential.list_calls), len(theirs.list_calls),
                         len(ours.discoveries), len(ours.others)))
    return report
