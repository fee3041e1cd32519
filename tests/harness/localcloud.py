"""Run a local Keystone + Cinder API (+ cinder-backup) to try the plugin.

    tools/local-cloud start    # start detached, seed sample backups,
                               # write ./clouds.yaml entries
    tools/local-cloud status
    tools/local-cloud stop     # stop, take the clouds.yaml entries back

(tools/local-cloud runs ``python3 -m tests.harness.localcloud``.)  State
(process groups, URLs, credentials), configs, databases and logs live under
.local-cloud/ in the repository root; clouds.yaml gets the entries
'vbs-local' (a member) and 'vbs-local-admin', other entries are kept.  The
sample data (``samples.py``) is what the docs' examples show.  With
rabbitmq-server installed, RabbitMQ and cinder-backup run too (DELETE works).
"""

import argparse
import json
import os
import shutil
import sys

from tests.harness import cloud
from tests.harness import cloudsyaml
from tests.harness import install
from tests.harness import procs
from tests.harness import rabbit
from tests.harness import samples

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PREFIX = 'vbs-local'


class Layout(object):
    """Where a checkout keeps the local cloud's state and clouds.yaml."""

    def __init__(self, root):
        self.root = root
        self.state_dir = os.path.join(root, '.local-cloud')
        self.state_file = os.path.join(self.state_dir, 'state.json')
        self.workdir = os.path.join(self.state_dir, 'cloud')
        self.clouds_yaml = os.path.join(root, 'clouds.yaml')

    def load_state(self):
        try:
            with open(self.state_file) as fh:
                return json.load(fh)
        except FileNotFoundError:
            return None

    def save_state(self, state):
        tmp = self.state_file + '.tmp'
        with open(tmp, 'w') as fh:
            json.dump(state, fh, indent=2)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.state_file)

    def remove_state_dir(self):
        shutil.rmtree(self.state_dir, ignore_errors=True)


def say(msg):
    print(msg, flush=True)


def take_back(written):
    """Remove the clouds.yaml entries start wrote (the file if it made it)."""
    if written and os.path.exists(written['path']):
        cloudsyaml.remove_from_file(written['path'], written['entries'],
                                    delete_if_empty=written['created'])


def stop_recorded(state):
    cloud.LocalCloud.from_state(state).stop()
    take_back(state.get('clouds_yaml'))


def cmd_start(layout, args):
    state = layout.load_state()
    if state is not None:
        if cloud.LocalCloud.from_state(state).running():
            say('local cloud already running (keystone %s, cinder %s); '
                'nothing to do' % (state['keystone_url'],
                                   state['cinder_url']))
            return 0
        say('previous local cloud is not (fully) running: cleaning it up')
        stop_recorded(state)
    layout.remove_state_dir()
    os.makedirs(layout.state_dir)
    backup = rabbit.installed()
    if not backup:
        say('no backup service: rabbitmq-server is not installed, so '
            'backups cannot be deleted (apt-get install rabbitmq-server)')
    say('starting keystone, cinder-api%s (the first run installs them '
        'into %s, a few minutes) ...'
        % (', rabbitmq and cinder-backup' if backup else '',
           install.cache_root()))
    local = cloud.LocalCloud(workdir=layout.workdir,
                             osapi_max_limit=args.osapi_max_limit,
                             detachable=True, log=say, backup_service=backup,
                             project_ids=samples.PROJECT_IDS)
    written = {'path': layout.clouds_yaml,
               'created': not os.path.exists(layout.clouds_yaml),
               'entries': [PREFIX, PREFIX + '-admin']}
    try:
        local.start()
        samples.seed_samples(local)
        local.write_clouds_yaml(layout.clouds_yaml, PREFIX)
        state = dict(local.detach(), clouds_yaml=written)
        layout.save_state(state)
    except BaseException:
        local.stop()
        take_back(written)
        layout.remove_state_dir()
        raise
    say('keystone:  %s' % state['keystone_url'])
    say('cinder:    %s' % state['cinder_url'])
    say('member:    %s in project %s (%d sample backups of volumes %s)'
        % (state['member']['username'], state['member']['project_name'],
           len(samples.member_backups()), ', '.join(samples.MEMBER_VOLUMES)))
    say('admin:     admin in project admin; %d more backups belong to '
        'project %s (an admin lists them with --all-projects)'
        % (len(samples.other_backups()), samples.OTHER_PROJECT))
    say('backups:   %s' % (
        'deleted by cinder-backup (posix driver, RabbitMQ on 127.0.0.1)'
        if backup else 'no backup service (DELETE answers 404)'))
    say('logs:      %s' % os.path.relpath(os.path.dirname(
        state['cinder_log_path']), os.getcwd()))
    say('clouds.yaml: %s (entries %s; stop takes them back)'
        % (layout.clouds_yaml, ', '.join(written['entries'])))
    say('')
    say('try (from %s):' % layout.root)
    say('  openstack --os-cloud %s vbs backup list --long' % PREFIX)
    say('  openstack --os-cloud %s vbs backup list --volume %s'
        % (PREFIX, list(samples.MEMBER_VOLUMES)[0]))
    say('  openstack --os-cloud %s-admin vbs backup list --all-projects'
        % PREFIX)
    say('stop with: tools/local-cloud stop')
    return 0


def cmd_stop(layout, args):
    state = layout.load_state()
    if state is None:
        say('local cloud is not running')
        layout.remove_state_dir()
        return 0
    stop_recorded(state)
    layout.remove_state_dir()
    say('local cloud stopped')
    return 0


def cmd_status(layout, args):
    state = layout.load_state()
    if state is None:
        say('local cloud is not running')
        return 3
    handle = cloud.LocalCloud.from_state(state)
    running = handle.running()
    say('local cloud is %s' % ('running' if running else
                               'NOT fully running (run: tools/local-cloud '
                               'stop, then start)'))
    say('keystone:  %s' % state['keystone_url'])
    say('cinder:    %s' % state['cinder_url'])
    for server in state['servers']:
        alive = procs.recorded_alive(server)
        say('  %-10s pid %-7s %s' % (server['name'], server['pid'],
                                     'alive' if alive else 'gone'))
    say('logs:      %s' % os.path.dirname(state['cinder_log_path']))
    return 0 if running else 1


def main(argv=None, root=ROOT):
    parser = argparse.ArgumentParser(
        prog='tools/local-cloud', description=__doc__.split('\n\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    start = sub.add_parser('start', help='start detached (no-op if running)')
    start.add_argument('--osapi-max-limit', type=int, default=1000,
                       help="cinder's osapi_max_limit (page size cap)")
    start.set_defaults(func=cmd_start)
    sub.add_parser('stop', help='stop, remove state and the clouds.yaml '
                   'entries').set_defaults(func=cmd_stop)
    sub.add_parser('status', help='show URLs and processes').set_defaults(
        func=cmd_status)
    args = parser.parse_args(argv)
    return args.func(Layout(root), args)


if __name__ == '__main__':
    sys.exit(main())
