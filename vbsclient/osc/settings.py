"""Reads the plugin's settings from its option, environment variable or
clouds.yaml key, and refuses a bad value naming where it came from.

Read when a ``vbs`` command first needs its client, so a bad setting
(say, a variable left in a shell profile) fails only the ``vbs`` commands.
The checks are the library's (``vbsclient.config``).
"""

import logging
import warnings

from vbsclient import config as config_mod
from vbsclient.osc import options

# The rows of the options table this module reads, by name.
VERSION = options.VERSION
ENDPOINT_OVERRIDE = options.ENDPOINT_OVERRIDE
TIMEOUT = options.TIMEOUT
PAGE_CONCURRENCY = options.PAGE_CONCURRENCY


def lookup(config, option):
    """(value, where) from the option, else the variable, else clouds.yaml.

    (None, None) when none is set.  A deprecated variable read is logged
    as a warning (OSC shows those on stderr, and no Python warning).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always', config_mod.DeprecatedVariable)
        found = config_mod.find(option.setting, config.get(option.dest),
                                option.option, config)
    for item in caught:
        if isinstance(item.message, config_mod.DeprecatedVariable):
            logging.getLogger(__name__).warning('Warning: %s', item.message)
        else:
            warnings.warn_explicit(item.message, item.category,
                                   item.filename, item.lineno)
    return found


def _read(config, option):
    """The checked value (the library's default when unset)."""
    value, where = lookup(config, option)
    return config_mod.check(option.setting.name, value, where)


def api_version(config):
    """The explicit microversion '3.N' the user set, or None to negotiate.

    ``3``, ``latest``, ``3.latest`` and unset negotiate.
    """
    return _read(config, VERSION)


def endpoint_override(config):
    """An http(s) URL, or None for the catalog's endpoint.

    Stripped: the URL checked is the URL used.
    """
    return _read(config, ENDPOINT_OVERRIDE)


def timeout(config):
    """Seconds each request may wait."""
    return _read(config, TIMEOUT)


def page_concurrency(config):
    """How many page requests may be in flight at once (1: sequential)."""
    return _read(config, PAGE_CONCURRENCY)
