"""The OpenStackClient plugin contract for the ``openstack vbs`` commands.

OSC imports this module on every ``openstack`` start, whatever the command,
so it imports nothing beyond the standard library; the settings and the
API layer are imported by ``make_client``, on first use.
"""

import logging
import os

API_NAME = 'vbs'
# OSC reads the setting named here at every start, derives the command
# group from it and calls check_api_version with it: a malformed value
# would take every command down, or hide ours.  So it names a key nobody
# sets (OSC then uses DEFAULT_API_VERSION), and the real version setting
# is read by make_client, which fails only the vbs commands and names
# where a bad value came from.  otcextensions owns os_vbs_api_version.
API_VERSION_OPTION = 'os_vbs_backup_command_group'
DEFAULT_API_VERSION = '3'
API_VERSIONS = ('3',)

# Without a named cloud, openstacksdk builds one from the OS_* variables and
# makes any of them ending in TIMEOUT the session timeout of every command
# (failing them all on a bad value).  The options are built before it reads
# the environment, so OS_VBS_TIMEOUT is taken out of its sight there and
# kept here for vbsclient.osc.settings.
TIMEOUT_ENV = 'OS_VBS_TIMEOUT'
hidden_env = {}


def make_client(instance):
    """Return the VBS client (``vbsclient.client.Client``) for OSC."""
    from vbsclient import client
    from vbsclient.osc import settings

    config = instance.get_configuration()
    # keystoneauth's retry warnings and request log: only with --debug.
    logging.getLogger('vbsclient.http').setLevel(
        logging.NOTSET if config.get('debug') else logging.ERROR)
    explicit_version = settings.api_version(config)
    logging.getLogger(__name__).debug(
        'VBS backup API version: %s', explicit_version or 'negotiated')
    return client.Client(
        instance.session,
        api_version=explicit_version,
        region_name=instance.region_name,
        interface=instance.interface,
        endpoint_override=settings.endpoint_override(config),
        timeout=settings.timeout(config),
        page_concurrency=settings.page_concurrency(config),
    )


def build_option_parser(parser):
    """Add the plugin's global options to the ``openstack`` parser.

    Their values are read by make_client (see vbsclient.osc.settings),
    after the environment variable and clouds.yaml key of each.
    """
    hidden_env[TIMEOUT_ENV] = os.environ.pop(TIMEOUT_ENV, None)
    parser.add_argument(
        '--os-vbs-backup-api-version',
        dest='vbs_backup_api_version_option',
        metavar='<vbs-backup-api-version>',
        help='VBS backup API version: 3 or latest (negotiate the highest '
             'version both sides support, the default) or 3.N '
             '(use exactly this microversion) '
             '(Env: OS_VBS_BACKUP_API_VERSION; clouds.yaml: '
             'vbs_backup_api_version)',
    )
    parser.add_argument(
        '--os-vbs-endpoint-override',
        dest='vbs_endpoint_override_option',
        metavar='<url>',
        help='VBS v3 endpoint including the project id, used instead of '
             'the service catalog (Env: OS_VBS_ENDPOINT_OVERRIDE; '
             'clouds.yaml: vbs_endpoint_override)',
    )
    parser.add_argument(
        '--os-vbs-timeout',
        dest='vbs_timeout_option',
        metavar='<seconds>',
        help='Seconds each VBS request may wait for the server, and the '
             'longest Retry-After honoured, default=60 (Env: '
             'OS_VBS_TIMEOUT; clouds.yaml: api_timeout)',
    )
    parser.add_argument(
        '--os-vbs-page-concurrency',
        dest='vbs_page_concurrency_option',
        metavar='<n>',
        help='Page requests a listing may have in flight at once, '
             'default=4; 1 lists one page at a time (Env: '
             'OS_VBS_PAGE_CONCURRENCY; clouds.yaml: vbs_page_concurrency)',
    )
    return parser


def check_api_version(check_version):
    """Accept it: the version setting is read and checked by make_client."""
    return True
