"""The client's settings: their checks, and where a cloud keeps them.

Each setting is a ``Client`` keyword. ``find`` is the one order in which
a setting is looked for, by ``Client.from_cloud`` and the CLI alike: the
caller's value, else the ``OS_VBS_*`` variable, else the clouds.yaml key.
"""

import collections
import os
from urllib import parse
import warnings

DEFAULT_TIMEOUT = 60.0
DEFAULT_PAGE_CONCURRENCY = 4
MAX_PAGE_CONCURRENCY = 64


def api_version(value):
    """The explicit microversion '3.N', or None to negotiate.

    ``3``, ``latest``, ``3.latest`` and None negotiate.
    """
    from keystoneauth1 import discover

    if value is None:
        return None
    text = str(value).strip()
    try:
        version = discover.normalize_version_number(text)
    except TypeError:
        version = None
    if (not version or len(version) > 2
            or version[0] not in (3, discover.LATEST)):
        raise ValueError('use 3, 3.N or latest')
    if discover.LATEST in version or '.' not in text:
        return None
    return discover.version_to_string(version)


def endpoint_override(value):
    """An http(s) URL (stripped), or None for the catalog's endpoint."""
    if value is None:
        return None
    text = str(value).strip()
    parts = parse.urlsplit(text)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ValueError('give an http:// or https:// URL')
    return text


def timeout(value):
    """Seconds each request may wait (above 0)."""
    if value is None:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1
    if not 0 < seconds < float('inf'):
        raise ValueError('give a number of seconds above 0')
    return seconds


def page_concurrency(value):
    """Page requests a listing may have in flight (1: one at a time)."""
    if value is None:
        return DEFAULT_PAGE_CONCURRENCY
    if isinstance(value, bool):
        count = 0
    elif isinstance(value, int):
        count = value
    else:
        try:
            count = int(str(value).strip(), 10)
        except ValueError:
            count = 0
    if not 1 <= count <= MAX_PAGE_CONCURRENCY:
        raise ValueError('give an integer from 1 to %d'
                         % MAX_PAGE_CONCURRENCY)
    return count


Setting = collections.namedtuple('Setting', 'name env key check old_env',
                                 defaults=(None,))

# Client keyword, environment variable, clouds.yaml key, check, and a
# deprecated variable still read after the variable.  openstacksdk folds
# every key ending in "timeout" into api_timeout, its session timeout, and
# a cloud built from OS_* variables has a key for each (OS_VBS_TIMEOUT is
# vbs_timeout): so the timeout's variable must not end in TIMEOUT.
SETTINGS = (
    Setting('api_version', 'OS_VBS_BACKUP_API_VERSION',
            'vbs_backup_api_version', api_version),
    Setting('endpoint_override', 'OS_VBS_ENDPOINT_OVERRIDE',
            'vbs_endpoint_override', endpoint_override),
    Setting('timeout', 'OS_VBS_TIMEOUT_SECONDS', 'api_timeout', timeout,
            'OS_VBS_TIMEOUT'),
    Setting('page_concurrency', 'OS_VBS_PAGE_CONCURRENCY',
            'vbs_page_concurrency', page_concurrency),
)
BY_NAME = {s.name: s for s in SETTINGS}


def check(name, value, source):
    """``value`` of setting ``name``, checked.

    A bad value raises InvalidSetting naming ``source``.
    """
    from vbsclient import exceptions

    try:
        return BY_NAME[name].check(value)
    except ValueError as e:
        raise exceptions.InvalidSetting(name, value, source, str(e)) from e


class DeprecatedVariable(DeprecationWarning):
    """A setting read from its deprecated variable."""


def _given(value):
    return value is not None and str(value).strip() != ''


def find(setting, given, given_source, cloud_config, environ=None):
    """(value, source) of ``setting``; (None, None) when it is not set.

    ``given`` (from ``given_source``), else its variable, else its
    deprecated variable (with a DeprecatedVariable warning), else its
    clouds.yaml key in ``cloud_config`` (a dict).
    """
    environ = os.environ if environ is None else environ
    sources = ((given, given_source), (environ.get(setting.env), setting.env))
    if setting.old_env:
        sources += ((environ.get(setting.old_env), setting.old_env),)
    sources += ((cloud_config.get(setting.key),
                 'clouds.yaml %s' % setting.key),)
    for value, source in sources:
        if _given(value):
            if source == setting.old_env:
                warnings.warn(DeprecatedVariable(
                    '%s is deprecated: set %s instead'
                    % (setting.old_env, setting.env)), stacklevel=2)
            return value, source
    return None, None


def read(cloud_config, given, environ=None):
    """The settings of a cloud: {name: (value, source)} for those set.

    ``given`` are the caller's values (source: the keyword); see ``find``.
    """
    found = {}
    for setting in SETTINGS:
        value, source = find(setting, given.get(setting.name), setting.name,
                             cloud_config, environ)
        if source is not None:
            found[setting.name] = (value, source)
    return found


def cloud_error(error, name, loader):
    """openstacksdk's or keystoneauth's error reading a cloud, a VBSError.

    ``name``: the cloud asked for (None: OS_CLOUD or the OS_* variables);
    ``loader``: the OpenStackConfig that read clouds.yaml, or None.  None
    for any other error.
    """
    from keystoneauth1 import exceptions as ksa_exceptions
    from openstack import exceptions as sdk_exceptions

    from vbsclient import exceptions

    if name:
        source = 'the name given'
    elif os.environ.get('OS_CLOUD'):
        name, source = os.environ['OS_CLOUD'], 'OS_CLOUD'
    else:
        # openstacksdk's name for the cloud the OS_* variables make.
        name, source = 'envvars', 'the OS_* variables'
    if isinstance(error, sdk_exceptions.ConfigException):
        names = loader.get_cloud_names() if loader else []
        if source != 'the OS_* variables' and name not in names:
            read = getattr(loader, 'config_filename', None)
            # Where openstacksdk looks: the current directory first.
            searched = dict.fromkeys(
                os.path.dirname(f)
                for f in getattr(loader, '_config_files', ()))
            return exceptions.CloudNotFound(
                name, source, [read] if read else [],
                list(searched) or ['the current directory'])
        return exceptions.InvalidSetting('cloud', name, source, str(error))
    if isinstance(error, ksa_exceptions.AuthPluginException):
        return exceptions.InvalidSetting(
            'cloud', name, source, 'its authentication: %s' % error)
    return None
