"""The prune plan over the member's backups: memory and requests.

The member's backups (``--scale N`` or ``--backups``), interleaved over
the rounds: ``openstack token issue`` and ``openstack vbs backup prune
--keep-daily 7 --keep-weekly 4 -f value -c Action -c ID`` (a plan: no
filter narrows the volumes, so one listing serves the policy and the
chains). Wall, client CPU, peak RSS, list requests and Cinder's seconds
on them.

Budgets:
  - the plan's peak RSS at most 64 MiB above ``token issue``'s (the
    issue's bound is for 100,000 backups; run with --scale 100000);
  - one row per backup, and every available backup not kept is removed
    (no backup is lost to the count);
  - requests: one listing (its concurrent pages, at most
    ceil(N / 999) + 3), one discovery at most, nothing else (no DELETE).
"""

from tools.benchmark import runner

RSS_BUDGET_MIB = 64

PLAN = 'vbs backup prune --keep-daily 7 --keep-weekly 4'


def run(cloud, clients, args, budgets):
    """Measure, print the table and check the budgets; return the figures."""
    total, rounds = runner.seed_member(cloud, args)
    env = clients.osc()
    commands = [
        ('token issue',
         [runner.OSC, 'token', 'issue', '-f', 'value', '-c', 'id']),
        (PLAN, [runner.OSC, 'vbs', 'backup', 'prune', '--keep-daily', '7',
                '--keep-weekly', '4', '-f', 'value', '-c', 'Action', '-c',
                'ID']),
    ]
    runs = runner.rounds(cloud, commands, env, rounds, 48)
    report = runner.cost_table(total, rounds, commands, runs, 48)

    print()
    budgets.rss_above_token(runs, PLAN, 'prune plan', RSS_BUDGET_MIB, total)
    first = runs[PLAN][0]
    budgets.check(first.rows == total,
                  'prune plan rows: %d for %d backups' % (first.rows, total))
    budgets.one_listing(first, 'prune plan', total)
    return report
