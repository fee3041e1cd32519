"""The plugin's global options, one row per client setting.

Each row adds the option (name, dest, metavar, help) to a setting of
``vbsclient.config``, which holds its variable, clouds.yaml key and check.
The plugin module builds its options from this table and the settings
module reads the values through it, so neither imports the other.  It is
imported on every ``openstack`` start (by the plugin module): standard
library only, as ``vbsclient.config`` is at import.
"""

import collections

from vbsclient import config

Option = collections.namedtuple('Option', 'option dest metavar help setting')

VERSION = Option(
    '--os-vbs-backup-api-version', 'vbs_backup_api_version_option',
    '<vbs-backup-api-version>',
    'VBS backup API version: 3 or latest (negotiate the highest version '
    'both sides support, the default) or 3.N (use exactly this '
    'microversion)', config.BY_NAME['api_version'])
ENDPOINT_OVERRIDE = Option(
    '--os-vbs-endpoint-override', 'vbs_endpoint_override_option', '<url>',
    'VBS v3 endpoint including the project id, used instead of the '
    'service catalog', config.BY_NAME['endpoint_override'])
TIMEOUT = Option(
    '--os-vbs-timeout', 'vbs_timeout_option', '<seconds>',
    'Seconds one VBS request may take, its retries included (refused '
    'connections and 429/502/503/504 answers are tried again while it '
    'leaves time), default=60', config.BY_NAME['timeout'])
PAGE_CONCURRENCY = Option(
    '--os-vbs-page-concurrency', 'vbs_page_concurrency_option', '<n>',
    'Page requests a listing may have in flight at once, default=4; 1 '
    'lists one page at a time', config.BY_NAME['page_concurrency'])

OPTIONS = (VERSION, ENDPOINT_OVERRIDE, TIMEOUT, PAGE_CONCURRENCY)


def help_text(option):
    """The option's help: what it does, then where else it is set."""
    setting = option.setting
    env = setting.env + (', deprecated: %s' % setting.old_env
                         if setting.old_env else '')
    return '%s (Env: %s; clouds.yaml: %s)' % (option.help, env, setting.key)
