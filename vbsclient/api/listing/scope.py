"""Whether the server kept the scope asked for.

Cinder ignores ``all_tenants`` for non-admins (and lists their own project)
and refuses their ``project_id`` filter with a 400; both are told in the
caller's terms.
"""

import warnings

from vbsclient.api import microversion as versions
from vbsclient.common import backup_fields as fields
from vbsclient import exceptions


def check(client, params, filters, sample, what='backups'):
    """Tell the caller when the server ignored all_tenants.

    Cinder drops it for non-admins and lists their own project: the
    owner field (3.18+, admins only by default) is then missing from
    the ``sample`` backups.  ``what`` was listed, for messages.
    """
    owner_since = fields.BY_KEY[fields.PROJECT_ID].since
    if ('all_tenants' not in filters or not sample
            or not versions.at_least(client.microversion, owner_since)
            or any(fields.PROJECT_ID in b for b in sample)):
        return
    own = client.project_id
    if filters.get('project_id', own) != own:
        raise exceptions.ScopeIgnored(
            '{project} {value} needs the admin role: the server ignored '
            'it and answered with the {what} of your own project {own}',
            {'project': 'project', 'value': params['project'],
             'own': own, 'what': what}, terms=('project',))
    if 'project' not in params:
        warnings.warn(exceptions.ScopeIgnoredWarning(
            '{all_projects} was ignored by the server (it needs the '
            'admin role); only the {what} of your project {own} are '
            'listed', {'all_projects': 'all_projects', 'own': own,
                       'what': what},
            terms=('all_projects',)), stacklevel=3)


class refusals:
    """Cinder refuses project_id from non-admins with a 400: say why."""

    def __init__(self, filters):
        self.filters = filters

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if (isinstance(error, exceptions.HTTPError) and error.status == 400
                and 'project_id' in self.filters
                and 'project_id' in (error.detail or '')):
            raise exceptions.ScopeIgnored(
                '{project} needs the admin role (the server refused the '
                'project filter: {detail})',
                {'project': 'project', 'detail': error.detail},
                terms=('project',)) from error
        return False
