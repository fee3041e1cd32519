"""LocalCloud's identity side: its users, their tokens, projects, the catalog.

``start()`` calls ``_bootstrap_identity()`` once Keystone answers: the admin,
a member in a project of its own and Cinder's service user.  ``Credentials``
describes such a user (``state()`` carries them to another process).
"""

import dataclasses
import datetime
import secrets

from tests.harness import keystone as keystone_mod

MEMBER_PROJECT = 'vbs-member-project'
MEMBER_USER = 'vbs-member'
SERVICE_PROJECT = 'service'
SERVICE_USER = 'cinder'
REGION = keystone_mod.REGION


@dataclasses.dataclass
class Credentials(object):
    """A user able to get a project-scoped token."""

    username: str
    password: str
    project_name: str
    project_id: str
    user_id: str
    user_domain_name: str = 'Default'
    project_domain_name: str = 'Default'

    def as_dict(self):
        return dataclasses.asdict(self)


class IdentityMixin(object):
    """Methods of LocalCloud; it sets ``admin``, ``member``, ``catalog``."""

    def _bootstrap_identity(self, admin_password):
        token, body = keystone_mod.password_token(
            self.keystone_url, 'admin', admin_password, project_name='admin')
        admin = keystone_mod.Admin(self.keystone_url, token)
        self.admin = Credentials(
            username='admin', password=admin_password,
            project_name='admin', project_id=body['project']['id'],
            user_id=body['user']['id'])
        self._remember_token('admin', token, body)

        member_password = secrets.token_urlsafe(12)
        member_project = self.ensure_project(MEMBER_PROJECT)
        member_user = admin.ensure_user(MEMBER_USER, member_password,
                                        member_project)
        admin.grant(member_project, member_user, 'member')
        self.member = Credentials(
            username=MEMBER_USER, password=member_password,
            project_name=MEMBER_PROJECT, project_id=member_project,
            user_id=member_user)

        service_project = admin.ensure_project(SERVICE_PROJECT)
        service_user = admin.ensure_user(SERVICE_USER,
                                         self._service_password,
                                         service_project)
        admin.grant(service_project, service_user, 'admin')

    # -- keystone -----------------------------------------------------------
    def _creds(self, user):
        if user in ('member', MEMBER_USER):
            return 'member', self.member
        if user == 'admin':
            return 'admin', self.admin
        raise ValueError('user must be "member" or "admin", not %r' % user)

    def _remember_token(self, key, token, body):
        expires = None
        try:
            expires = datetime.datetime.strptime(
                body['expires_at'][:19], '%Y-%m-%dT%H:%M:%S')
        except (KeyError, ValueError):
            pass
        self._tokens[key] = (token, expires)

    def token(self, user='member'):
        """A project-scoped Keystone token for 'member' or 'admin'.

        Cached until 10 minutes before it expires.
        """
        key, creds = self._creds(user)
        cached = self._tokens.get(key)
        now = datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None)
        if cached and (cached[1] is None or
                       cached[1] - now > datetime.timedelta(minutes=10)):
            return cached[0]
        token, body = keystone_mod.password_token(
            self.keystone_url, creds.username, creds.password,
            project_id=creds.project_id,
            user_domain_name=creds.user_domain_name)
        self._remember_token(key, token, body)
        return token

    def keystone_admin(self):
        """``keystone.Admin`` client authenticated as the cloud's admin."""
        return keystone_mod.Admin(self.keystone_url, self.token('admin'))

    def ensure_project(self, name):
        """Id of project ``name`` (created when missing).

        With the id ``project_ids`` gives it, if it has one.
        """
        if name in self.project_ids:
            keystone_mod.insert_project(self.keystone.db_path, name,
                                        self.project_ids[name])
        return self.keystone_admin().ensure_project(name)

    def set_catalog(self, vbs=False, block_storage=True):
        """Make the catalog hold exactly the services asked for.

        ``block_storage``: service type 'block-storage', endpoints
        ``<cinder>/v3/$(project_id)s``; ``vbs``: type 'vbs', endpoints
        ``<cinder>/v2/$(project_id)s`` (the same server).  Region RegionOne,
        interfaces public, internal and admin.  Idempotent.  ``start()``
        sets both.
        """
        admin = self.keystone_admin()
        wanted = (('block-storage', 'cinderv3', '/v3/$(project_id)s',
                   block_storage),
                  ('vbs', 'vbs', '/v2/$(project_id)s', vbs))
        for service_type, name, suffix, keep in wanted:
            if keep:
                service_id = admin.ensure_service(service_type, name)
                admin.set_endpoints(service_id, self.cinder_url + suffix)
            else:
                admin.delete_services(service_type)
        self.catalog = {'vbs': bool(vbs), 'block_storage': bool(block_storage)}

    def publish_cinder(self, url, region):
        """Also publish block-storage at ``url`` in ``region`` (created).

        RegionOne's endpoints stay; ``set_catalog()`` removes these.
        """
        admin = self.keystone_admin()
        admin.ensure_region(region)
        service_id = admin.ensure_service('block-storage', 'cinderv3')
        admin.add_endpoints(service_id, url.rstrip('/') + '/v3/$(project_id)s',
                            region)
