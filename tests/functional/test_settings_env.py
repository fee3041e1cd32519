"""OS_VBS_TIMEOUT_SECONDS with an openrc-style configuration (OS_*
variables, no clouds.yaml), where openstacksdk builds the cloud from the
environment.

It must be checked by the vbs commands only, and must not become the
session timeout of other commands (openstacksdk makes every variable
ending in TIMEOUT that timeout, so the deprecated OS_VBS_TIMEOUT does).
"""

from tests.functional import base
from tests.harness import cloud as cloud_mod


class TestTimeoutVariable(base.FunctionalTest):

    def openrc(self, **extra):
        creds = self.cloud.member
        env = {
            'OS_AUTH_URL': self.cloud.keystone_url,
            'OS_USERNAME': creds.username,
            'OS_PASSWORD': creds.password,
            'OS_PROJECT_NAME': creds.project_name,
            'OS_USER_DOMAIN_NAME': creds.user_domain_name,
            'OS_PROJECT_DOMAIN_NAME': creds.project_domain_name,
            'OS_REGION_NAME': cloud_mod.REGION,
            'OS_INTERFACE': 'public',
            'OS_IDENTITY_API_VERSION': '3',
            'OS_CLIENT_CONFIG_FILE': '/nonexistent/clouds.yaml',
        }
        env.update(extra)
        return env

    def test_openrc_lists(self):
        rc, out, err = self.run_cli('vbs', 'backup', 'list', '-f', 'value',
                                    '-c', 'ID',
                                    env=self.openrc(
                                        OS_VBS_TIMEOUT_SECONDS='30'))
        self.assertEqual(0, rc, err)
        self.assertEqual(self.server_ids(), out.split())

    def test_bad_variable_fails_only_the_vbs_commands(self):
        env = self.openrc(OS_VBS_TIMEOUT_SECONDS='abc')
        rc, out, err = self.run_cli('token', 'issue', '-f', 'value', '-c',
                                    'project_id', env=env)
        self.assertEqual(0, rc, err)
        self.assertEqual(self.cloud.member.project_id, out.strip())
        rc, out, err = self.run_cli('vbs', 'backup', 'list', env=env)
        self.assertEqual(1, rc, err)
        self.assertEqual('', out)
        self.assertEqual(
            "invalid --os-vbs-timeout 'abc' (from OS_VBS_TIMEOUT_SECONDS): "
            "give a number of seconds above 0", self.assertOneLine(err))

    def test_variable_is_not_the_session_timeout(self):
        # A microsecond would time out Keystone's token request if it
        # became the session's timeout.
        rc, out, err = self.run_cli(
            'token', 'issue', '-f', 'value', '-c', 'project_id',
            env=self.openrc(OS_VBS_TIMEOUT_SECONDS='0.000001'))
        self.assertEqual(0, rc, err)
        self.assertEqual(self.cloud.member.project_id, out.strip())

    def test_deprecated_variable_still_read_with_a_warning(self):
        rc, out, err = self.run_cli('vbs', 'backup', 'list', '-f', 'value',
                                    '-c', 'ID',
                                    env=self.openrc(OS_VBS_TIMEOUT='30'))
        self.assertEqual(0, rc, err)
        self.assertEqual(self.server_ids(), out.split())
        self.assertEqual('Warning: OS_VBS_TIMEOUT is deprecated: set '
                         'OS_VBS_TIMEOUT_SECONDS instead',
                         self.assertOneLine(err))
