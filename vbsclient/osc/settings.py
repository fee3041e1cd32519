"""Reads the plugin's settings from its option, environment variable or
clouds.yaml key, and refuses a bad value naming where it came from.

Read when a ``vbs`` command first needs its client, so a bad setting
(say, a variable left in a shell profile) fails only the ``vbs`` commands.
"""

import os
from urllib import parse

from keystoneauth1 import discover

from vbsclient.api import exceptions
from vbsclient.osc import options

# The rows of the settings table this module reads, by name.
VERSION = options.VERSION
ENDPOINT_OVERRIDE = options.ENDPOINT_OVERRIDE
TIMEOUT = options.TIMEOUT
PAGE_CONCURRENCY = options.PAGE_CONCURRENCY

DEFAULT_TIMEOUT = 60
DEFAULT_PAGE_CONCURRENCY = 4
MAX_PAGE_CONCURRENCY = 64


def lookup(config, setting):
    """(value, where) from the option, else the variable, else clouds.yaml.

    (None, None) when none is set.
    """
    sources = (
        (config.get(setting.dest), setting.option),
        (os.environ.get(setting.env, options.hidden_env.get(setting.env)),
         setting.env),
        (config.get(setting.key), 'clouds.yaml %s' % setting.key),
    )
    for value, where in sources:
        if value is not None and str(value).strip() != '':
            return value, where
    return None, None


def _invalid(setting, value, where, expected):
    return exceptions.InvalidSetting(
        'invalid %s %r (from %s): %s' % (setting.option, str(value), where,
                                         expected))


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
    # The URL checked is the URL used: a pasted space would otherwise end
    # up in every request's path and get a 404 that blames the server.
    url = str(value).strip()
    parts = parse.urlsplit(url)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise _invalid(ENDPOINT_OVERRIDE, value, where,
                       'give an http:// or https:// URL')
    return url


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
