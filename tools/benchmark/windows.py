"""Age windows: counting and listing by creation time, against reading
everything and filtering.

Seeds --scale backups (run it with ``--suite windows --scale 100000``;
--backups without --scale) in the member's project, one second apart,
then interleaves over the rounds, as the member:

  - ``vbs backup count --created-before <median>`` (positions only);
  - ``vbs backup count`` (one with_count request, for reference);
  - ``vbs backup list -f value --created-after <newest 10%>``;
  - our full listing piped through awk on Created At;
  - ``openstack volume backup list`` piped through awk: what scripts do
    today (the same listing answers the count with ``wc -l``, so it is run
    once per round).

Reported: wall, client CPU, peak RSS, rows printed, list requests, server
seconds and response bytes (both from Cinder's request log).

Budgets: the windowed listing reads at most 0.3x the bytes of our full
listing and the windowed count at most 0.05x; both take less wall time
than the full listing; the outputs are exact.
"""

import datetime

from tests.harness import seed
from tools.benchmark import runner

COUNT = 'vbs backup count --created-before <median>'
COUNT_ALL = 'vbs backup count (all)'
LIST = 'vbs backup list --created-after <newest 10%>'
FULL = 'vbs backup list (full) | awk'
VOLUME = 'volume backup list | awk'


def stamp(total_before):
    """The created_at of the seeded backup after ``total_before`` others.

    seed_many writes them one second apart from FIRST_CREATED_AT.
    """
    moment = seed.FIRST_CREATED_AT + datetime.timedelta(
        seconds=total_before + 1)
    return moment.strftime('%Y-%m-%dT%H:%M:%S')


def bytes_of(run):
    return sum(r['bytes'] or 0 for r in run.requests)


def rows_of(run):
    return run.rows


def run(cloud, clients, args, budgets):
    """Measure, print the table and check the budgets; return the figures."""
    total, rounds = runner.seed_member(cloud, args)
    median = stamp(total // 2)
    newest = stamp(total - total // 10)
    env = clients.osc()
    vbs = [runner.OSC, 'vbs', 'backup']
    awk_newest = "awk -v t=%s '$2 >= t {print $1}'" % newest
    volume = "%s volume backup list -f value -c ID -c 'Created At'" % (
        runner.OSC)
    ours = "%s vbs backup list -f value -c ID -c 'Created At'" % runner.OSC
    commands = [
        ('token issue',
         [runner.OSC, 'token', 'issue', '-f', 'value', '-c', 'id']),
        (COUNT, vbs + ['count', '-f', 'value', '-c', 'count',
                       '--created-before', median]),
        (COUNT_ALL, vbs + ['count', '-f', 'value', '-c', 'count']),
        (LIST, vbs + ['list', '-f', 'value', '-c', 'ID', '--created-after',
                      newest]),
        (FULL, ['sh', '-c', '%s | %s' % (ours, awk_newest)]),
        (VOLUME, ['sh', '-c', '%s | %s' % (volume, awk_newest)]),
    ]
    runs = {name: [] for name, _argv in commands}
    for round_no in range(rounds):
        for name, argv in commands:
            result = runner.measure(cloud, argv, env)
            runs[name].append(result)
            print('round %d: %-42s %6.2f s wall %6.2f s CPU %9d bytes'
                  % (round_no + 1, name, result.wall, result.cpu,
                     bytes_of(result)), flush=True)

    med = runner.med
    report = {'backups': total, 'rounds': rounds, 'median': median,
              'newest': newest}
    print()
    print('%d backups of one project, as its member, pages of 1000, %d '
          'rounds, median (min-max)' % (total, rounds))
    print('%-42s %s %5s %9s %11s' % ('command', runner.COST_HEADER, 'lists',
                                     'server s', 'bytes'))
    for name, _argv in commands:
        rs = runs[name]
        print('%-42s %s %5d %9.2f %11d' % (
            name, runner.cost_columns(rs), len(rs[0].list_calls),
            med([r.server_seconds for r in rs]), bytes_of(rs[0])))
        report[name] = dict(runner.raw(rs),
                            bytes=[bytes_of(r) for r in rs])

    check = budgets.check
    print()
    full_bytes = bytes_of(runs[FULL][0])
    full_wall = med([r.wall for r in runs[FULL]])
    for name, budget in ((LIST, 0.3), (COUNT, 0.05)):
        spent = bytes_of(runs[name][0])
        wall = med([r.wall for r in runs[name]])
        check(spent <= budget * full_bytes,
              '%s: %d bytes = %.4fx of the full listing\'s %d (budget '
              '%.2fx)' % (name, spent, spent / full_bytes, full_bytes,
                          budget))
        check(wall < full_wall, '%s: wall %.2f s < the full listing\'s '
              '%.2f s' % (name, wall, full_wall))
    count_out = runs[COUNT][0].first_line.strip()
    check(count_out == str(total // 2),
          'count: %s (expected %d)' % (count_out, total // 2))
    check(runs[LIST][0].rows == total // 10
          and runs[LIST][0].digest == runs[FULL][0].digest
          == runs[VOLUME][0].digest,
          'list: %d rows (expected %d), the same bytes as both filtered '
          'full listings' % (runs[LIST][0].rows, total // 10))
    return report
