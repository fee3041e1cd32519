"""The list parameters: their query keys, checks and gates."""

from vbsclient.api.query import params as query
from vbsclient import exceptions

from tests.unit import base


class TestTable(base.TestCase):

    def test_python_names_to_query_keys(self):
        self.assertEqual(
            {'name': 'name', 'status': 'status', 'volume': 'volume_id',
             'name_like': 'name~', 'status_like': 'status~',
             'volume_like': 'volume_id~', 'all_projects': 'all_tenants',
             'project': 'project_id', 'created_before': None,
             'created_after': None, 'data_timestamp_before': None,
             'data_timestamp_after': None, 'incremental': None},
            {p.name: p.key for p in query.PARAMS})

    def test_since(self):
        self.assertEqual('3.31', query.since('name_like'))
        self.assertEqual('3.31', query.since('status_like'))
        self.assertEqual('3.31', query.since('volume_like'))
        self.assertEqual('3.45', query.since('count'))
        self.assertEqual('3.37', query.since('sort:name'))
        for ungated in ('name', 'status', 'volume', 'all_projects',
                        'project', 'sort:created_at', 'limit', 'unknown',
                        'created_before', 'data_timestamp_after'):
            self.assertIsNone(query.since(ungated), ungated)

    def test_gates(self):
        self.assertEqual([], query.gates({'name': 'x', 'status': 'error'}))
        self.assertEqual(['name_like', 'sort:name', 'sort:id'],
                         query.gates({'name': 'x', 'name_like': 'y',
                                      'sort': 'name:asc,id'}))
        self.assertEqual(['count'], query.gates({}, counting=True))


class TestSort(base.TestCase):

    def test_accepted_as_given(self):
        for value in ('name', 'created_at:desc', 'size:asc,id:desc',
                      'status,name'):
            self.assertEqual(value, query.check_sort(value))

    def test_unknown_key(self):
        e = self.assertRaises(exceptions.InvalidParameter,
                              query.check_sort, 'colour:asc')
        self.assertEqual('sort', e.param)
        self.assertIn("unknown sort key 'colour'", str(e))

    def test_direction_is_checked(self):
        for value, direction in (('name:up', 'up'), ('id:ASC', 'ASC'),
                                 ('size:', ''), ('id:asc,name:descending',
                                                 'descending')):
            e = self.assertRaises(exceptions.InvalidParameter,
                                  query.check_sort, value)
            self.assertIn('unknown sort direction %r' % direction,
                          e.reason)
            self.assertIn('use asc or desc', e.reason)

    def test_braces_in_values_are_refused_not_crashed_on(self):
        # The caller's text lands in the reason: it must not be read as a
        # template.
        for value in ('{x}', '{0}', 'id:{dir}', '{', 'id,id}'):
            e = self.assertRaises(exceptions.InvalidParameter,
                                  query.check_sort, value)
            self.assertIn(repr(value), str(e))

    def test_key_given_twice(self):
        e = self.assertRaises(exceptions.InvalidParameter,
                              query.check_sort, 'id:asc,id:desc')
        self.assertIn('sort key given twice', str(e))


class TestChecked(base.TestCase):

    def test_unset_and_false_all_projects_dropped(self):
        self.assertEqual({'name': 'x'}, query.checked(
            {'name': 'x', 'status': None, 'all_projects': False}))
        self.assertEqual({'all_projects': True},
                         query.checked({'all_projects': True}))

    def test_counts(self):
        for name in ('limit', 'offset'):
            self.assertEqual({name: 0}, query.checked({name: 0}))
            self.assertEqual({name: query.MAX_INT},
                             query.checked({name: query.MAX_INT}))
            for bad in (-1, query.MAX_INT + 1, '3', 1.0, True):
                e = self.assertRaises(exceptions.InvalidParameter,
                                      query.checked, {name: bad})
                self.assertEqual(name, e.param)

    def test_braces_in_bad_values(self):
        for params in ({'limit': '{0}'}, {'offset': '{x}'},
                       {'status': '{status}'}, {'name': 5,
                                                'status': '{'}):
            e = self.assertRaises(exceptions.InvalidParameter,
                                  query.checked, params)
            self.assertNotIn('\n', str(e))

    def test_status(self):
        self.assertEqual({'status': 'error'},
                         query.checked({'status': 'error'}))
        e = self.assertRaises(exceptions.InvalidParameter, query.checked,
                              {'status': 'ERROR'})
        self.assertEqual("invalid status 'ERROR': use one of available, "
                         "creating, deleting, error, error_deleting, "
                         "error_restoring, restoring", str(e))

    def test_text_parameters_must_be_strings(self):
        for name in ('name', 'volume', 'name_like', 'status_like',
                     'volume_like', 'project', 'marker', 'sort'):
            e = self.assertRaises(exceptions.InvalidParameter,
                                  query.checked, {name: 5})
            self.assertEqual(name, e.param)

    def test_project_domain_needs_project(self):
        e = self.assertRaises(exceptions.InvalidParameter, query.checked,
                              {'project_domain': 'default'})
        self.assertEqual('project_domain', e.param)
        self.assertEqual(
            {'project': 'p', 'project_domain': 'd'},
            query.checked({'project': 'p', 'project_domain': 'd'}))
