"""The member's listing: ``vbs backup list`` against OSC and a plain loop.

Interleaved over several rounds: ``openstack token issue`` (OSC start-up
and authentication, which every command pays); a plain ``urllib`` paging
loop; ``openstack vbs backup list`` with -f value, -f json and the table;
``openstack volume backup list -f value``; ``cinder backup-list``.  Then
the plugin module's import cost on top of OSC's, and ``--limit 1500``.

Budgets:
  - plugin import at most 2 ms on top of OSC's imports;
  - CPU beyond ``token issue`` at most 0.05x that of
    ``openstack volume backup list -f value`` (same baseline);
  - wall at most 1.05x the floor: ``token issue`` plus the plain loop of
    the same round (one page at a time; the listing's own server seconds
    would add up pages that overlap, so they are not put in its place);
  - no more list requests than the plain loop, one discovery at most, no
    other request, none after --limit is met;
  - with --scale N: N backups listed with peak RSS under 1 GiB, and the
    CPU per backup at N within 1.5x of that at --backups (linear growth).
"""

import subprocess
import sys

from tests.harness import seed
from tools.benchmark import runner

GIB = 1024 ** 3

IMPORT_SNIPPET = r'''
import sys, time
sys.modules["vbsclient"] = None          # keep it out of OSC's own import
import openstackclient.shell             # noqa: what every start imports
del sys.modules["vbsclient"]
t = time.perf_counter()
import vbsclient.osc.plugin as plugin
plugin.check_api_version("3")
print(time.perf_counter() - t)
'''

LOOP_SNIPPET = r'''
import json, os, sys, urllib.parse, urllib.request
url = os.environ["LOOP_URL"]
headers = {"X-Auth-Token": os.environ["LOOP_TOKEN"],
           "OpenStack-API-Version": "volume 3.64",
           "Accept": "application/json"}
count = 0
while url:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request) as r:
        body = json.loads(r.read())
    count += len(body["backups"])
    url = None
    for link in body.get("backups_links", []):
        if link["rel"] == "next":
            url = link["href"]
print(count)
'''

VALUE = 'vbs backup list -f value'


def import_cost(env, samples):
    times = []
    for _ in range(samples):
        out = subprocess.run([sys.executable, '-c', IMPORT_SNIPPET],
                             env=env, capture_output=True, text=True,
                             check=True).stdout
        times.append(float(out))
    return times


def run(cloud, clients, args, budgets):
    """Measure, print the table and check the budgets; return the figures."""
    member = cloud.member
    cloud.clear_backups()
    seed.seed_many(cloud.cinder_db_path, args.backups, [member.project_id],
                   member.user_id)
    env = clients.osc()
    vbs = [runner.OSC, 'vbs', 'backup', 'list']
    commands = [
        ('token issue',
         [runner.OSC, 'token', 'issue', '-f', 'value', '-c', 'id'], env),
        ('plain HTTP loop', [sys.executable, '-c', LOOP_SNIPPET], None),
        (VALUE, vbs + ['-f', 'value'], env),
        ('vbs backup list -f json', vbs + ['-f', 'json'], env),
        ('vbs backup list (table)', vbs, env),
        ('volume backup list -f value',
         [runner.OSC, 'volume', 'backup', 'list', '-f', 'value'], env),
        ('cinder backup-list', [runner.CINDER, 'backup-list'],
         clients.cinder()),
    ]
    runs = {name: [] for name, _argv, _env in commands}
    floors = []
    loop_url = '%s/v3/%s/backups/detail' % (cloud.cinder_url,
                                            member.project_id)
    for round_no in range(args.rounds):
        token = None
        for name, argv, cmd_env in commands:
            if cmd_env is None:
                cmd_env = dict(env, LOOP_URL=loop_url, LOOP_TOKEN=token)
            result = runner.measure(cloud, argv, cmd_env)
            runs[name].append(result)
            if name == 'token issue':
                token = result.first_line
            print('round %d: %-30s %6.2f s wall %6.2f s CPU'
                  % (round_no + 1, name, result.wall, result.cpu),
                  flush=True)
        floors.append(runs['token issue'][-1].wall
                      + runs['plain HTTP loop'][-1].wall)
    imports = import_cost(env, 10 * args.rounds)
    limit_run = runner.measure(cloud, vbs + ['-f', 'value', '--limit',
                                             '1500'], env)

    report = {'backups': args.backups, 'rounds': args.rounds}
    print()
    print('%d backups of one project, as its member, pages of 1000, %d '
          'rounds, median (min-max)' % (args.backups, args.rounds))
    print('%-30s %s %5s %9s' % ('command', runner.COST_HEADER, 'lists',
                                'server s'))
    for name, _argv, _env in commands:
        rs = runs[name]
        print('%-30s %s %5d %9.2f' % (
            name, runner.cost_columns(rs), len(rs[0].list_calls),
            runner.med([r.server_seconds for r in rs])))
        report[name] = runner.raw(rs)
    med = runner.med
    print('plugin import on top of OSC: %.3f ms median (%.3f-%.3f), %d '
          'samples' % (med(imports) * 1e3, min(imports) * 1e3,
                       max(imports) * 1e3, len(imports)))
    report['import_seconds'] = imports

    check = budgets.check
    print()
    token_cpu = med([r.cpu for r in runs['token issue']])
    ours = med([r.cpu for r in runs[VALUE]]) - token_cpu
    theirs = med([r.cpu for r in runs['volume backup list -f value']]) - (
        token_cpu)
    check(med(imports) <= 0.002, 'plugin import %.3f ms <= 2 ms'
          % (med(imports) * 1e3))
    check(ours <= 0.05 * theirs,
          'CPU beyond token issue: %.3f s = %.3fx of volume backup list\'s '
          '%.2f s (budget 0.05x)' % (ours, ours / theirs, theirs))
    ratios = [r.wall / f for r, f in zip(runs[VALUE], floors)]
    check(med(ratios) <= 1.05,
          'wall %.2f s = %.3fx the floor %.2f s (token issue + plain loop '
          'of the same round; budget 1.05x)'
          % (med([r.wall for r in runs[VALUE]]), med(ratios), med(floors)))
    value_run = runs[VALUE][0]
    loop_run = runs['plain HTTP loop'][0]
    check(len(value_run.list_calls) <= len(loop_run.list_calls)
          and len(value_run.discoveries) <= 1 and not value_run.others,
          'requests: %d list calls (plain loop %d), %d discovery, %d other'
          % (len(value_run.list_calls), len(loop_run.list_calls),
             len(value_run.discoveries), len(value_run.others)))
    check(len(limit_run.list_calls) == 2 and limit_run.rows == 1500,
          '--limit 1500: %d list calls (2 needed), %d rows'
          % (len(limit_run.list_calls), limit_run.rows))

    if args.scale:
        seed.seed_many(cloud.cinder_db_path, args.scale - args.backups,
                       [member.project_id], member.user_id)
        big = [runner.measure(cloud, vbs + ['-f', 'value'], env)
               for _ in range(args.scale_rounds)]
        big_cpu = med([r.cpu for r in big]) - token_cpu
        per_small = ours / args.backups
        per_big = big_cpu / args.scale
        print('%d backups: wall %s s, CPU %s s, peak RSS %s MiB, %d list '
              'calls' % (args.scale, runner.fmt_range([r.wall for r in big]),
                         runner.fmt_range([r.cpu for r in big]),
                         runner.fmt_range([r.rss for r in big], 'MiB'),
                         len(big[0].list_calls)))
        report['scale'] = dict(runner.raw(big), backups=args.scale)
        check(max(r.rss for r in big) < GIB,
              'peak RSS at %d backups %.0f MiB < 1024 MiB'
              % (args.scale, max(r.rss for r in big) / 2 ** 20))
        check(per_big <= 1.5 * per_small,
              'CPU per backup beyond token issue: %.1f us at %d, %.1f us at '
              '%d (linear: within 1.5x)' % (per_small * 1e6, args.backups,
                                            per_big * 1e6, args.scale))
    return report
