"""LocalCloud's seeding: rows straight into Cinder's sqlite for its users.

The row making is ``seed``'s; this picks the project and user (the member's
by default, the admin user for any other project).
"""

from tests.harness import seed as seed_mod


class SeedMixin(object):
    """Methods of LocalCloud; they use ``member``, ``admin``, the db path."""

    def seed_backups(self, n, project_id=None, **overrides):
        """Insert ``n`` backups (member's project by default).

        Returns the rows as dicts, oldest first (the API lists them newest
        first).  See ``seed.seed_backups`` for ``overrides``.
        """
        if project_id is None or project_id == self.member.project_id:
            project_id = self.member.project_id
            overrides.setdefault('user_id', self.member.user_id)
        else:
            overrides.setdefault('user_id', self.admin.user_id)
        user_id = overrides.pop('user_id')
        return seed_mod.seed_backups(self.cinder_db_path, n, project_id,
                                     user_id, **overrides)

    def seed_volumes(self, names, project_id=None, deleted=False, ids=None):
        """Insert volume rows named ``names``; return their ids.

        In the member's project by default; see ``seed.seed_volumes``.
        """
        project_id = project_id or self.member.project_id
        user_id = (self.member.user_id if project_id == self.member.project_id
                   else self.admin.user_id)
        return seed_mod.seed_volumes(self.cinder_db_path, names, project_id,
                                     user_id, deleted=deleted, ids=ids)

    def seed_backup_metadata(self, backup_id, items):
        """Give a seeded backup metadata ``{key: value}``."""
        seed_mod.seed_backup_metadata(self.cinder_db_path, backup_id, items)

    def clear_backups(self, project_id=None):
        """Delete all backups (or one project's)."""
        seed_mod.clear_backups(self.cinder_db_path, project_id)
