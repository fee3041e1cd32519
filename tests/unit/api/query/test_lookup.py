"""Names to IDs: UUIDs pass, anything else is one filtered request."""


from vbsclient.api.http import transport
from vbsclient.api.query import lookup
from vbsclient import exceptions

from tests.unit import base

PROJECT = 'ee6b0f3ac7cc4bd8a5b7a4b1b8f0b6f1'
PROJECTS_URL = base.AUTH_URL + '/projects'
DOMAINS_URL = base.AUTH_URL + '/domains'
DOMAIN = '5a4e2f0a1c3b4d5e8f7a6b5c4d3e2f10'
VOLUME = '27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a11'


class TestIsId(base.TestCase):

    def test_uuids(self):
        for value in ('27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a11',
                      '27F3A1C4-7F4E-4F7C-9A4C-6E2D1E0B9A11',
                      '27f3a1c47f4e4f7c9a4c6e2d1e0b9a11',
                      '{27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a11}',
                      'urn:uuid:27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a11'):
            self.assertTrue(lookup.is_id(value), value)

    def test_names(self):
        for value in ('db', 'db-volume-1', 'a-b-c-d-e', '', None, 5,
                      '27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a1',
                      '27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a11-old',
                      '27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a1x',
                      'bk-0001'):
            self.assertFalse(lookup.is_id(value), value)


class TestCanonicalId(base.TestCase):

    def test_uuids_become_cinders_form(self):
        for value in ('27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a11',
                      '27F3A1C4-7F4E-4F7C-9A4C-6E2D1E0B9A11',
                      '27f3a1c47f4e4f7c9a4c6e2d1e0b9a11',
                      '27F3A1C47F4E4F7C9A4C6E2D1E0B9A11',
                      '{27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a11}',
                      'urn:uuid:27F3A1C4-7F4E-4F7C-9A4C-6E2D1E0B9A11'):
            self.assertEqual(VOLUME, lookup.canonical_id(value), value)

    def test_anything_else_is_unchanged(self):
        for value in ('db', 'DB-Volume-1', '27F3A1C4',
                      '27f3a1c4-7f4e-4f7c-9a4c-6e2d1e0b9a11-old', '', None):
            self.assertEqual(value, lookup.canonical_id(value))


class TestOne(base.TestCase):

    def test_one(self):
        self.assertEqual('id-1', lookup.one('volume', 'db', ['id-1']))

    def test_none(self):
        e = self.assertRaises(exceptions.NotFound, lookup.one, 'volume',
                              'db', [], ' in project p')
        self.assertEqual("no volume with name or ID 'db' in project p",
                         str(e))

    def test_many(self):
        e = self.assertRaises(exceptions.NoUniqueMatch, lookup.one,
                              'backup', 'n', ['a', 'b'])
        self.assertEqual(['a', 'b'], e.ids)
        self.assertEqual("2 backups are named 'n' (a, b); use the ID",
                         str(e))
        e = self.assertRaises(exceptions.NoUniqueMatch, lookup.one,
                              'backup', 'n', list('abcde'))
        self.assertIn('5 or more backups', str(e))


class TestProjectId(base.TestCase):

    def setUp(self):
        super().setUp()
        self.identity = transport.Transport(
            self.token_session(), ('identity',), 'identity',
            locate=lambda: base.AUTH_URL)

    def projects(self, *ids, **response):
        if not response:
            response = {'json': {'projects': [{'id': i} for i in ids]}}
        return self.requests_mock.get(PROJECTS_URL, **response)

    def test_uuid_passes_without_a_request(self):
        self.assertEqual(PROJECT, lookup.project_id(self.identity, PROJECT))
        self.assertEqual([], self.requests_mock.request_history)

    def test_name_is_one_identity_request(self):
        projects = self.projects(PROJECT)
        self.assertEqual(PROJECT, lookup.project_id(self.identity, 'ops'))
        self.assertEqual(1, len(self.requests_mock.request_history))
        self.assertEqual({'name': ['ops']},
                         base.query_of(projects.last_request))
        self.assertEqual(base.TOKEN,
                         projects.last_request.headers['X-Auth-Token'])

    def test_name_with_domain(self):
        self.requests_mock.get(DOMAINS_URL, json={'domains': [
            {'id': 'dom-id'}]})
        projects = self.projects(PROJECT)
        self.assertEqual(PROJECT,
                         lookup.project_id(self.identity, 'ops', 'Default'))
        self.assertEqual({'name': ['ops'], 'domain_id': ['dom-id']},
                         base.query_of(projects.last_request))

    # A UUID-shaped domain passes through, as a project ID does.
    def test_domain_id_costs_no_request(self):
        domains = self.requests_mock.get(DOMAINS_URL, json={'domains': []})
        projects = self.projects(PROJECT)
        self.assertEqual(PROJECT, lookup.project_id(self.identity, 'ops',
                                                    DOMAIN))
        self.assertEqual({'name': ['ops'], 'domain_id': [DOMAIN]},
                         base.query_of(projects.last_request))
        self.assertFalse(domains.called)

    def test_domain_unknown_or_unlistable_is_taken_as_an_id(self):
        for response in ({'json': {'domains': []}}, {'status_code': 403}):
            self.requests_mock.get(DOMAINS_URL, **response)
            projects = self.projects(PROJECT)
            lookup.project_id(self.identity, 'ops', 'dom-x')
            self.assertEqual(['dom-x'], base.query_of(
                projects.last_request)['domain_id'])

    def test_403_passes_the_value_through(self):
        self.projects(status_code=403, json={'error': {'code': 403}})
        self.assertEqual('ops', lookup.project_id(self.identity, 'ops'))

    def test_other_errors_are_raised(self):
        self.projects(status_code=500)
        self.assertRaises(exceptions.HTTPError, lookup.project_id,
                          transport.Transport(
                              self.token_session(), ('identity',),
                              'identity', locate=lambda: base.AUTH_URL),
                          'ops')

    def test_no_match_and_many(self):
        self.projects()
        e = self.assertRaises(exceptions.NotFound, lookup.project_id,
                              self.identity, 'ops')
        self.assertEqual("no project with name or ID 'ops'", str(e))
        self.projects('p1', 'p2')
        self.requests_mock.get(DOMAINS_URL, json={'domains': [
            {'id': 'd1'}]})
        e = self.assertRaises(exceptions.NoUniqueMatch, lookup.project_id,
                              self.identity, 'ops', 'Default')
        self.assertEqual(['p1', 'p2'], e.ids)
        self.assertIn('in domain Default', str(e))


class TestProjectThroughTheManager(base.TestCase):

    def test_project_name_resolved_on_identity(self):
        self.serve_versions()
        projects = self.requests_mock.get(PROJECTS_URL, json={
            'projects': [{'id': PROJECT}]})
        self.requests_mock.get(base.LIST_URL, json=base.page([
            base.backup(1, **{'os-backup-project-attr:project_id':
                              PROJECT})]))
        session = self.catalog_session([
            ('vbs', base.VBS_ROOT + '/v2/%s' % base.PROJECT_ID),
            ('identity', base.AUTH_URL)])
        client = self.client(session, page_concurrency=1)
        result = list(client.backups.list(project='ops'))
        self.assertEqual(1, len(result))
        self.assertEqual(1, projects.call_count)
        self.assertEqual({'all_tenants': ['1'], 'project_id': [PROJECT]},
                         base.query_of(self.list_requests()[0]))

    def test_another_owner_names_the_project_and_its_id(self):
        self.serve_versions()
        self.requests_mock.get(PROJECTS_URL, json={
            'projects': [{'id': PROJECT}]})
        self.requests_mock.get(base.LIST_URL, json=base.page([
            base.backup(1, **{'os-backup-project-attr:project_id':
                              base.PROJECT_ID})]))
        session = self.catalog_session([
            ('vbs', base.VBS_ROOT + '/v2/%s' % base.PROJECT_ID),
            ('identity', base.AUTH_URL)])
        client = self.client(session, page_concurrency=1)
        e = self.assertRaises(exceptions.ScopeIgnored, list,
                              client.backups.list(project='ops'))
        self.assertEqual(
            'the server did not keep project ops (%s): it answered with the '
            'backups of project %s' % (PROJECT, base.PROJECT_ID), str(e))

    def test_volume_name_looked_up_in_the_named_project(self):
        # The project's name is resolved first; the volume's name is then
        # looked up in that project's ID.
        self.serve_versions()
        self.requests_mock.get(PROJECTS_URL, json={
            'projects': [{'id': PROJECT}]})
        volumes = self.requests_mock.get(base.ENDPOINT + '/volumes', json={
            'volumes': [{'id': VOLUME}]})
        self.requests_mock.get(base.LIST_URL, json=base.page([]))
        session = self.catalog_session([
            ('vbs', base.VBS_ROOT + '/v2/%s' % base.PROJECT_ID),
            ('identity', base.AUTH_URL)])
        client = self.client(session, page_concurrency=1)
        self.assertEqual([], list(client.backups.list(project='demo',
                                                      volume='db')))
        self.assertEqual({'name': ['db'], 'limit': ['5'],
                          'all_tenants': ['1'], 'project_id': [PROJECT]},
                         base.query_of(volumes.last_request))
        self.assertEqual({'all_tenants': ['1'], 'project_id': [PROJECT],
                          'volume_id': [VOLUME]},
                         base.query_of(self.list_requests()[0]))
        volumes = self.requests_mock.get(base.ENDPOINT + '/volumes', json={
            'volumes': []})
        e = self.assertRaises(exceptions.NotFound, list,
                              client.backups.list(project='demo',
                                                  volume='db'))
        self.assertEqual("no volume with name or ID 'db' in project %s"
                         % PROJECT, str(e))

    # keystoneauth raises EndpointNotFound here (not None): the message
    # must still be EndpointNotFound's, with the hint.
    def test_no_identity_in_the_catalog(self):
        self.serve_versions()
        session = self.catalog_session([
            ('vbs', base.VBS_ROOT + '/v2/%s' % base.PROJECT_ID)])
        client = self.client(session)
        e = self.assertRaises(exceptions.EndpointNotFound, list,
                              client.backups.list(project='ops'))
        self.assertIn('no identity v3 endpoint', str(e))
        self.assertEqual([], self.list_requests())
