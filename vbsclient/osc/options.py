"""The plugin's settings, one row each: option, variable, clouds.yaml key.

The plugin module builds its global options from this table and the
settings module reads the values through it, so neither imports the
other.  It is imported on every ``openstack`` start (by the plugin
module): standard library only.
"""

import collections

Setting = collections.namedtuple(
    'Setting', 'option dest metavar env key help')

VERSION = Setting(
    '--os-vbs-backup-api-version', 'vbs_backup_api_version_option',
    '<vbs-backup-api-version>', 'OS_VBS_BACKUP_API_VERSION',
    'vbs_backup_api_version',
    'VBS backup API version: 3 or latest (negotiate the highest version '
    'both sides support, the default) or 3.N (use exactly this '
    'microversion)')
ENDPOINT_OVERRIDE = Setting(
    '--os-vbs-endpoint-override', 'vbs_endpoint_override_option', '<url>',
    'OS_VBS_ENDPOINT_OVERRIDE', 'vbs_endpoint_override',
    'VBS v3 endpoint including the project id, used instead of the '
    'service catalog')
# openstacksdk folds every clouds.yaml key ending in "timeout" into
# api_timeout, the session's own timeout: that is the clouds.yaml key.
TIMEOUT = Setting(
    '--os-vbs-timeout', 'vbs_timeout_option', '<seconds>', 'OS_VBS_TIMEOUT',
    'api_timeout',
    'Seconds each VBS request may wait for the server, and the longest '
    'Retry-After honoured, default=60')
PAGE_CONCURRENCY = Setting(
    '--os-vbs-page-concurrency', 'vbs_page_concurrency_option', '<n>',
    'OS_VBS_PAGE_CONCURRENCY', 'vbs_page_concurrency',
    'Page requests a listing may have in flight at once, default=4; 1 '
    'lists one page at a time')

SETTINGS = (VERSION, ENDPOINT_OVERRIDE, TIMEOUT, PAGE_CONCURRENCY)

# Without a named cloud, openstacksdk builds one from the OS_* variables and
# makes any of them ending in TIMEOUT the session timeout of every command
# (failing them all on a bad value).  The options are built before it reads
# the environment, so the plugin takes these out of its sight there and
# keeps them here for the settings module.
HIDDEN_ENV = (TIMEOUT.env,)
hidden_env = {}


def help_text(setting):
    """The option's help: what it does, then where else it is set."""
    return '%s (Env: %s; clouds.yaml: %s)' % (setting.help, setting.env,
                                              setting.key)
