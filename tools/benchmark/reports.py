"""The summary report against the listing and against a shell group-by.

The member's backups (``--scale N`` or ``--backups``), interleaved over
the rounds: ``openstack token issue``; ``openstack vbs backup summary
--group-by status -f value``; ``openstack vbs backup list -f value``; and
``openstack volume backup list -f value -c Status -c Size`` piped into
``awk`` summing count and size per status (what operators do today).
Wall, client CPU (the pipeline's: OSC's and awk's), peak RSS (the largest
process of the pipeline), list requests and Cinder's seconds on them.

Budgets:
  - the summary's peak RSS at most 48 MiB above ``token issue``'s (the
    issue's bound is for 100,000 backups; run with --scale 100000);
  - it prints the same counts and sizes per status as the pipeline;
  - no more list requests than the listing's concurrent pages need
    (ceil(N / 999) + 3), one discovery at most, no other request.
"""

from tools.benchmark import runner

RSS_BUDGET_MIB = 48

SUMMARY = 'vbs backup summary --group-by status'
LIST = 'vbs backup list -f value'
PIPE = 'volume backup list -f value | awk'
AWK = ('{n[$1]++; s[$1] += $2} '
       'END {for (k in n) print k, n[k], s[k]}')


def sums(out):
    """{status: (count, size)} as printed by a command."""
    found = {}
    for line in out.splitlines():
        status, count, size = line.split()
        found[status] = (int(count), int(size))
    return found


def run(cloud, clients, args, budgets):
    """Measure, print the table and check the budgets; return the figures."""
    total, rounds = runner.seed_member(cloud, args)
    env = clients.osc()
    summary = [runner.OSC, 'vbs', 'backup', 'summary', '--group-by',
               'status', '-f', 'value', '-c', 'Status', '-c', 'Count', '-c',
               'Size (GB)']
    pipe = ['sh', '-c', '"$0" volume backup list -f value -c Status -c Size'
            ' | awk \'%s\'' % AWK, runner.OSC]
    commands = [
        ('token issue',
         [runner.OSC, 'token', 'issue', '-f', 'value', '-c', 'id']),
        (SUMMARY, summary),
        (LIST, [runner.OSC, 'vbs', 'backup', 'list', '-f', 'value']),
        (PIPE, pipe),
    ]
    runs = runner.rounds(cloud, commands, env, rounds, 36,
                         keep=(SUMMARY, PIPE))
    report = runner.cost_table(total, rounds, commands, runs, 36)

    print()
    check = budgets.check
    budgets.rss_above_token(runs, SUMMARY, 'summary', RSS_BUDGET_MIB, total)
    mine = sums(runs[SUMMARY][0].output)
    theirs = sums(runs[PIPE][0].output)
    check(mine == theirs and sum(c for c, _s in mine.values()) == total,
          'summary per status %s, the pipeline %s'
          % (sorted(mine.items()), sorted(theirs.items())))
    budgets.one_listing(runs[SUMMARY][0], 'summary', total)
    for name in (LIST, PIPE):
        print('summary against %s: wall %.2fx, CPU %.2fx, peak RSS %+.0f MiB'
              % (name, runner.med([r.wall for r in runs[SUMMARY]])
                 / runner.med([r.wall for r in runs[name]]),
                 runner.med([r.cpu for r in runs[SUMMARY]])
                 / runner.med([r.cpu for r in runs[name]]),
                 (runner.med([r.rss for r in runs[SUMMARY]])
                  - runner.med([r.rss for r in runs[name]])) / runner.MIB))
    return report
