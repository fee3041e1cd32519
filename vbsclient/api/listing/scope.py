"""Whether the server kept the scope asked for.

Cinder ignores ``all_tenants`` for non-admins (and lists their own project)
and refuses their ``project_id`` filter with a 400; a server may also drop
the project filter and answer with another project's backups.  Each is told
in the caller's terms.
"""

import os
import sys
import warnings

from vbsclient.api import microversion as versions
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
            terms=('all_projects',)), stacklevel=_caller())
        return True
    elif asked != own:
        warnings.warn(exceptions.ScopeIgnoredWarning(
            'the server sent the {what} without their owner, so {project} '
            '{value} could not be checked (without the admin role they '
            'are those of your project {own})',
            {'project': 'project', 'value': _named(params['project'], asked),
             'what': what, 'own': own}, terms=('project',)),
            stacklevel=_caller())
        return True
    return False


class FirstRow:
    """The scope checked once, on the first row of one or more listings.

    The listings of one call share it (coverage reads several): the
    server keeps or drops the scope for all of them alike.
    """

    def __init__(self, client, params, filters, what='backups'):
        self.client = client
        self.params = params
        self.filters = filters
        self.what = what
        self.checked = False

    def rows(self, rows):
        """Yield ``rows``, the first checked (``check``) before it goes."""
        for raw in rows:
            if not self.checked:
                self.checked = True
                check(self.client, self.params, self.filters, [raw],
                      self.what)
            yield raw


# The library's files; a warning names the first frame outside them.
_LIBRARY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))) + os.sep
_FRONT_END = _LIBRARY + 'osc' + os.sep


def _caller():
    """warn's stacklevel for the line above the outermost library frame.

    However deep the listing's generators run, and whatever they run
    through (heapq merges the coverage listings): a line inside the
    library, or the standard library, would tell the caller nothing.
    """
    frame, level, outermost = sys._getframe(1), 1, 1
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(_LIBRARY) and not name.startswith(_FRONT_END):
            outermost = level
        frame, level = frame.f_back, level + 1
    return outermost + 1


def _named(given, project_id):
    """The project as given, with its ID when it was a name."""
    return given if given == project_id else '%s (%s)' % (given, project_id)
