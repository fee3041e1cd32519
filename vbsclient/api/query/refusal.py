"""A project filter the server refused, told in the caller's words.

Cinder refuses ``project_id`` from non-admins with a 400; the caller
asked for ``project``, so that is what the error names.
"""

from vbsclient import exceptions


class ProjectRefusal:
    """A context: Cinder's 400 to a non-admin's project_id, explained.

    :raises ScopeIgnored: for that 400, naming ``project``.
    """

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
