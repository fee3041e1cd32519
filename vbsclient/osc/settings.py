"""Reads the plugin's settings from its option, environment variable or
clouds.yaml key, and refuses a bad value naming where it came from.

Read when a ``vbs`` command first needs its client, so a bad setting
(say, a variable left in a shell profile) fails only the ``vbs`` commands.
"""

import collections
import os
from urllib import parse

from keystoneauth1 import discover

from vbsclient import exceptions
from vbsclient.osc import plugin

Setting = collections.namedtuple('Setting', 'option dest env key')

VERSION = Setting('--os-vbs-backup-api-version',
                  'vbs_backup_api_version_option',
                  'OS_VBS_BACKUP_API_VERSION', 'vbs_backup_api_version')
ENDPOINT_OVERRIDE = Setting('--os-vbs-endpoint-override',
                            'vbs_endpoint_override_option',
                            'OS_VBS_ENDPOINT_OVERRIDE',
                            'vbs_endpoint_override')
# openstacksdk folds every clouds.yaml key ending in "timeout" into
# api_timeout, the session's own timeout: that is the clouds.yaml key.
TIMEOUT = Setting('--os-vbs-timeout', 'vbs_timeout_option',
                  'OS_VBS_TIMEOUT', 'api_timeout')
PAGE_CONCURRENCY = Setting('--os-vbs-page-concurrency',
                           'vbs_page_concurrency_option',
                           'OS_VBS_PAGE_CONCURRENCY', 'vbs_page_concurrency')

DEFAULT_TIMEOUT = 60
DEFAULT_PAGE_CONCURRENCY = 4
MAX_PAGE_CONCURRENCY = 64


def lookup(config, setting):
    """(value, where) from the option, else the variable, else clouds.yaml.

    (None, None) when none is set.
    """
    sources = (
        (config.get(setting.dest), setting.option),
        (os.environ.get(setting.env, plugin.hidden_env.get(setting.env)),
         setting.env),
        (config.get(setting.key), 'clouds.yaml %s' % setting.key),
    )
    for value, where in sources:
        if value is not None and str(value).strip() != '':
            return value, where
    return None, None


def _invalid(setting, value, where, expected):
    return exceptions.InvalidSetting(setting.option, value, where, expected)


def api_version(config):
    """The explicit microversion '3.N' the user set, or None to negotiate.

    ``3``, ``latest``, ``3.latest`` and unset negotiate.
    """
    value, where = lookup(config, VERSION)
    if value is None:
        return None
    text = str(value).strip()
    try:
        version = discover.normalize_version_number(text)
    except TypeError:
        version = None
    if (not version or len(version) > 2
            or version[0] not in (3, discover.LATEST)):
        raise _invalid(VERSION, value, where, 'use 3, 3.N or latest')
    if discover.LATEST in version or '.' not in text:
        return None
    return discover.version_to_string(version)


def endpoint_override(config):
    """An http(s) URL, or None for the catalog's endpoint."""
    value, where = lookup(config, ENDPOINT_OVERRIDE)
    if value is None:
        return None
    parts = parse.urlsplit(str(value).strip())
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise _invalid(ENDPOINT_OVERRIDE, value, where,
                       'give an http:// or https:// URL')
    return value


def timeout(config):
    """Seconds each request may wait."""
    value, where = lookup(config, TIMEOUT)
    if value is None:
        return float(DEFAULT_TIMEOUT)
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1
    if not 0 < seconds < float('inf'):
        raise _invalid(TIMEOUT, value, where,
                       'give a number of seconds above 0')
    return seconds


def page_concurrency(config):
    """How many page requests may be in flight at once (1: sequential)."""
    value, where = lookup(config, PAGE_CONCURRENCY)
    if value is None:
        return DEFAULT_PAGE_CONCURRENCY
    try:
        count = int(str(value).strip(), 10)
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_PAGE_CONCURRENCY:
        raise _invalid(PAGE_CONCURRENCY, value, where,
                       'give an integer from 1 to %d' % MAX_PAGE_CONCURRENCY)
    return count
