"""Whether the server kept the scope asked for.

Cinder ignores ``all_tenants`` for non-admins (and lists their own project)
and refuses their ``project_id`` filter with a 400; a server may also drop
the project filter and answer with another project's backups.  Each is told
in the caller's terms.
"""

import warnings

from vbsclient.api import versions
from vbsclient.common import backup_fields as fields
from vbsclient import exceptions


def check(client, params, filters, sample, what='backups'):
    """Tell the caller when the server did not keep the scope asked for.

    The owner field (3.18+; shown to admins by Cinder's default policy)
    of the ``sample`` backups decides: present, every owner must be the
    project asked for (else ScopeIgnored); absent, nothing is proven (a
    policy may hide it, or the server dropped all_tenants for a
    non-admin and listed the caller's project), so a ScopeIgnoredWarning
    says so and the listing goes on.  ``what`` was listed, for messages.
    Returns whether it warned.
    """
    owner_since = fields.BY_KEY[fields.PROJECT_ID].since
    if ('all_tenants' not in filters or not sample
            or not versions.at_least(client.microversion, owner_since)):
        return False
    asked = filters.get('project_id')
    owners = [b[fields.PROJECT_ID] for b in sample if fields.PROJECT_ID in b]
    others = sorted({o for o in owners if o != asked})
    if asked is not None and others:
        raise exceptions.ScopeIgnored(
            'the server did not keep {project} {value}: it answered with '
            'the {what} of project {other}',
            {'project': 'project', 'value': _named(params['project'], asked),
             'what': what, 'other': ', '.join(map(str, others))},
            terms=('project',))
    own = client.project_id
    if owners:
        return False
    if asked is None:
        warnings.warn(exceptions.ScopeIgnoredWarning(
            '{all_projects} was ignored by the server (it needs the '
            'admin role); only the {what} of your project {own} are '
            'listed', {'all_projects': 'all_projects', 'own': own,
                       'what': what},
            terms=('all_projects',)), stacklevel=3)
        return True
    elif asked != own:
        warnings.warn(exceptions.ScopeIgnoredWarning(
            'the server sent the {what} without their owner, so {project} '
            '{value} could not be checked (without the admin role they '
            'are those of your project {own})',
            {'project': 'project', 'value': _named(params['project'], asked),
             'what': what, 'own': own}, terms=('project',)), stacklevel=3)
        return True
    return False


def _named(given, project_id):
    """The project as given, with its ID when it was a name."""
    return given if given == project_id else '%s (%s)' % (given, project_id)


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
