"""The OpenStackClient plugin contract for the ``openstack vbs`` commands.

OSC imports this module on every ``openstack`` start, whatever the command,
so it imports only what OSC has already loaded; the API layer is imported
by ``make_client``, on first use.
"""

import os

# Loaded by OSC's own imports before any plugin: free here.
from keystoneauth1 import discover

API_NAME = 'vbs'
# otcextensions owns os_vbs_api_version / OS_VBS_API_VERSION: keep apart.
API_VERSION_OPTION = 'os_vbs_backup_api_version'
DEFAULT_API_VERSION = '3'
API_VERSIONS = ('3',)

VERSION_ENV = 'OS_VBS_BACKUP_API_VERSION'
ENDPOINT_OVERRIDE_ENV = 'OS_VBS_ENDPOINT_OVERRIDE'
TIMEOUT_ENV = 'OS_VBS_TIMEOUT'
# OSC strips the "os_" prefix of global options when it builds the config,
# so this is also the clouds.yaml key.
ENDPOINT_OVERRIDE_KEY = 'vbs_endpoint_override'
# openstacksdk's config loader folds every "*timeout" option (ours too) into
# api_timeout, which is also the clouds.yaml key.
TIMEOUT_KEY = 'api_timeout'
DEFAULT_TIMEOUT = 60


def make_client(instance):
    """Return the VBS backup API client for OSC's client manager."""
    from vbsclient.api import backups
    from vbsclient.api import exceptions

    config = instance.get_configuration()
    timeout = config.get(TIMEOUT_KEY) or DEFAULT_TIMEOUT
    try:
        timeout = float(timeout)
    except (TypeError, ValueError):
        timeout = -1
    if not 0 < timeout < float('inf'):
        raise exceptions.VBSError(
            'invalid --os-vbs-timeout %r: give a number of seconds above 0'
            % config.get(TIMEOUT_KEY))
    return backups.BackupAPI(
        instance.session,
        explicit_version=parse_version_setting(
            instance._api_version.get(API_NAME)),
        region_name=instance.region_name,
        interface=instance.interface,
        endpoint_override=config.get(ENDPOINT_OVERRIDE_KEY),
        timeout=timeout,
        debug=bool(config.get('debug')),
    )


def build_option_parser(parser):
    """Add the plugin's global options to the ``openstack`` parser."""
    parser.add_argument(
        '--os-vbs-backup-api-version',
        metavar='<vbs-backup-api-version>',
        default=os.environ.get(VERSION_ENV),
        help='VBS backup API version: 3 or latest (negotiate the highest '
             'version both sides support, the default) or 3.N '
             '(use exactly this microversion). '
             '(Env: %s)' % VERSION_ENV,
    )
    parser.add_argument(
        '--os-vbs-endpoint-override',
        metavar='<url>',
        default=os.environ.get(ENDPOINT_OVERRIDE_ENV),
        help='VBS v3 endpoint including the project id, used instead of '
             'the service catalog (Env: %s)' % ENDPOINT_OVERRIDE_ENV,
    )
    parser.add_argument(
        '--os-vbs-timeout',
        metavar='<seconds>',
        default=os.environ.get(TIMEOUT_ENV),
        help='Seconds each VBS request may wait for the server, '
             'default=%d (Env: %s; clouds.yaml: api_timeout)'
             % (DEFAULT_TIMEOUT, TIMEOUT_ENV),
    )
    return parser


def parse_version_setting(setting):
    """The explicit microversion '3.N' the user set, or None to negotiate.

    ``3``, ``latest``, ``3.latest`` and unset negotiate; anything but those
    and ``3.N`` raises ValueError.
    """
    text = str(setting or '').strip()
    if not text:
        return None
    try:
        version = discover.normalize_version_number(text)
    except TypeError:
        version = None
    if (not version or len(version) > 2
            or version[0] not in (3, discover.LATEST)):
        raise ValueError('invalid VBS backup API version %r: use 3, 3.N or '
                         'latest' % text)
    if discover.LATEST in version or '.' not in text:
        return None
    return discover.version_to_string(version)


def check_api_version(check_version):
    """Refuse a malformed version; accept every 3.N without OSC's warning."""
    parse_version_setting(check_version)
    return True
