"""The OpenStackClient plugin contract for the ``openstack vbs`` commands.

OSC imports this module on every ``openstack`` start, whatever the command,
so it imports nothing beyond the standard library and the table of its
options (standard library only itself); the settings and the API layer
are imported by ``make_client``, on first use.
"""

import logging

from vbsclient.osc import options

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
    for option in options.OPTIONS:
        parser.add_argument(option.option, dest=option.dest,
                            metavar=option.metavar,
                            help=options.help_text(option))
    return parser


def check_api_version(check_version):
    """Accept it: the version setting is read and checked by make_client."""
    return True
