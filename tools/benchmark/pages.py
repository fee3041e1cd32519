"""Concurrent pages: the listing with default settings against sequential.

A second cinder-api with 2 workers on the same database, reached directly
and through a front that adds --delay seconds to each list request (a
distant region).  For --backups (and --scale) backups of the member's
project, interleaved over the rounds, each of the 4 cases (direct or
delayed; default settings or ``OS_VBS_PAGE_CONCURRENCY=1``) runs
``openstack vbs backup list -f value`` and ``openstack vbs backup count``;
the listing part is the list's wall minus the count's, per round.

Budgets, for each size: the default listing part at most 0.75x the
sequential one direct and at most 0.55x delayed; list requests at most
ceil(N / (page size - 1)) + 3; every listing prints the same N rows.
Before the client fetches pages concurrently the ratios are about 1.0 and
those budgets miss.
"""

from tests.harness import front as front_mod
from tests.harness import seed
from tools.benchmark import runner

WORKERS = 2
SETTINGS = (('default', {}), ('sequential', {'OS_VBS_PAGE_CONCURRENCY': '1'}))
BUDGETS = {'direct': 0.75, 'delayed': 0.55}
LIST = [runner.OSC, 'vbs', 'backup', 'list', '-f', 'value']
COUNT = [runner.OSC, 'vbs', 'backup', 'count', '-f', 'value', '-c', 'count']


def distant_front(upstream, delay):
    """The route to ``upstream`` with ``delay`` s on each list request."""
    route = front_mod.Front(upstream).start()
    route.delay(r'/backups(/detail)?$', delay)
    return route


def run(cloud, clients, args, budgets):
    """Measure each size, print its table, check budgets; return figures."""
    upstream = cloud.start_extra_cinder(osapi_max_limit=runner.PAGE,
                                        workers=WORKERS)
    front = distant_front(upstream, args.delay)
    routes = (('direct', upstream), ('delayed', front.url))
    member = cloud.member
    cloud.clear_backups()
    sizes = [(args.backups, args.rounds)]
    if args.scale:
        sizes.append((args.scale, args.scale_rounds))
    report = {'delay': args.delay, 'workers': WORKERS, 'page': runner.PAGE}
    seeded = 0
    try:
        for size, rounds in sizes:
            seed.seed_many(cloud.cinder_db_path, size - seeded,
                           [member.project_id], member.user_id)
            seeded = size
            report[str(size)] = one_size(cloud, clients, args, budgets,
                                         routes, size, rounds)
    finally:
        front.stop()
    return report


def one_size(cloud, clients, args, budgets, routes, size, rounds):
    upstream = routes[0][1]
    cases = [(route, url, setting, extra) for route, url in routes
             for setting, extra in SETTINGS]
    runs = {}
    for round_no in range(rounds):
        for route, url, setting, extra in cases:
            env = clients.osc(OS_VBS_ENDPOINT_OVERRIDE='%s/v3/%s' % (
                url, cloud.member.project_id), **extra)
            for what, argv in (('list', LIST), ('count', COUNT)):
                result = runner.measure(cloud, argv, env, upstream)
                runs.setdefault((route, setting, what), []).append(result)
                print('round %d: %-8s %-10s %-5s %7.2f s wall'
                      % (round_no + 1, route, setting, what, result.wall),
                      flush=True)

    def parts(route, setting):
        return [a.wall - b.wall for a, b in zip(
            runs[(route, setting, 'list')], runs[(route, setting, 'count')])]

    delayed = '+%d ms' % round(args.delay * 1000)
    print()
    print('%d backups of one project, pages of %d, cinder-api with %d '
          'workers, %d rounds, median (min-max); listing part = list wall - '
          'count wall' % (size, runner.PAGE, WORKERS, rounds))
    print('%-8s %-10s %-20s %-20s %-20s %5s %7s' % (
        'route', 'setting', 'list wall s', 'count wall s', 'listing part s',
        'lists', 'rows'))
    report = {}
    for route, _url, setting, _extra in cases:
        lists = runs[(route, setting, 'list')]
        counts = runs[(route, setting, 'count')]
        print('%-8s %-10s %-20s %-20s %-20s %5d %7d' % (
            delayed if route == 'delayed' else route, setting,
            runner.fmt_range([r.wall for r in lists]),
            runner.fmt_range([r.wall for r in counts]),
            runner.fmt_range(parts(route, setting)),
            max(len(r.list_calls) for r in lists), lists[0].rows))
        report['%s %s' % (route, setting)] = {
            'list': runner.raw(lists), 'count': runner.raw(counts),
            'listing_part': parts(route, setting)}

    print()
    check = budgets.check
    for route, _url in routes:
        ours = runner.med(parts(route, 'default'))
        sequential = runner.med(parts(route, 'sequential'))
        check(ours <= BUDGETS[route] * sequential,
              '%d backups, %s: default listing part %.2f s = %.2fx the '
              'sequential %.2f s (budget %.2fx)'
              % (size, delayed if route == 'delayed' else route, ours,
                 ours / sequential, sequential, BUDGETS[route]))
    allowed = runner.page_bound(size)
    most = max(len(r.list_calls) for (_route, setting, what), rs
               in runs.items() if setting == 'default' and what == 'list'
               for r in rs)
    check(most <= allowed, '%d backups: at most %d list requests with the '
          'default settings (budget %d)' % (size, most, allowed))
    listings = [r for (_route, _setting, what), rs in runs.items()
                if what == 'list' for r in rs]
    counted = {r.first_line for (_route, _setting, what), rs in runs.items()
               if what == 'count' for r in rs}
    check(len({r.digest for r in listings}) == 1
          and listings[0].rows == size and counted == {str(size)},
          '%d backups: every listing printed the same %d rows, every count '
          '%s' % (size, listings[0].rows, ', '.join(sorted(counted))))
    return report
