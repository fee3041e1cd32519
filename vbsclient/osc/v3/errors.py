"""The library's errors in the CLI's words: one table of option names.

The library names a parameter or setting by its Python keyword; the CLI
shows the option (or variable) that set it, so every message reads as the
user typed it.
"""

import contextlib
import warnings

from vbsclient import exceptions

# Library term -> how the CLI names it.
OPTION_NAMES = {
    'name': '--name',
    'status': '--status',
    'volume': '--volume',
    'name_like': '--name-like',
    'status_like': '--status-like',
    'volume_like': '--volume-like',
    'all_projects': '--all-projects',
    'project': '--project',
    'project_domain': '--project-domain',
    'created_before': '--created-before',
    'created_after': '--created-after',
    'data_timestamp_before': '--data-timestamp-before',
    'data_timestamp_after': '--data-timestamp-after',
    'incremental': '--incremental or --full',
    'sort': '--sort',
    'sort:name': '--sort name',
    'limit': '--limit',
    'offset': '--offset',
    'marker': '--marker',
    'group_by': '--group-by',
    # A group key of --group-by, in its CLI spelling.
    'availability_zone': 'availability-zone',
    'max_age': '--max-age',
    'count': '"vbs backup count"',
    'api_version': '--os-vbs-backup-api-version',
    'endpoint_override': '--os-vbs-endpoint-override',
    'timeout': '--os-vbs-timeout',
    'page_concurrency': '--os-vbs-page-concurrency',
    'cacert': '--os-cacert <file>, OS_CACERT or "cacert" in clouds.yaml',
}


def in_cli_words(error):
    """``error``'s message as the CLI shows it."""
    return error.reword(OPTION_NAMES)


@contextlib.contextmanager
def option_names():
    """Re-raise library errors worded with option names."""
    try:
        yield
    except exceptions.VBSError as e:
        e.args = (in_cli_words(e),)
        raise


@contextlib.contextmanager
def scope_warnings(stream):
    """Write ScopeIgnoredWarnings to ``stream`` as one CLI line each.

    Also when an error follows: the warning explains it (a name not found
    in the project the server searched).
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always', exceptions.ScopeIgnoredWarning)
            yield
    finally:
        _write(caught, stream)


def _write(caught, stream):
    for item in caught:
        if isinstance(item.message, exceptions.ScopeIgnoredWarning):
            stream.write('Warning: %s\n' % in_cli_words(item.message))
        else:
            warnings.warn_explicit(item.message, item.category,
                                   item.filename, item.lineno)
