"""Pins the public Python API, so an accidental rename fails here.

A deliberate change edits these lists (and the docs and a release note);
new keywords (issues 16 and 17: created_before, summary, coverage, ...)
are added to them.
"""

import inspect

from vbsclient.api import backups
from vbsclient import backup as backup_mod
from vbsclient import client as client_mod
from vbsclient import exceptions

from tests.unit import base

KW = inspect.Parameter.KEYWORD_ONLY
POS = inspect.Parameter.POSITIONAL_OR_KEYWORD

CLIENT_PARAMS = [
    ('session', POS, inspect.Parameter.empty),
    ('region_name', POS, None),
    ('interface', POS, None),
    ('endpoint_override', POS, None),
    ('api_version', POS, None),
    ('timeout', POS, 60),
    ('page_concurrency', POS, 4),
]
CLIENT_ATTRIBUTES = ['backups', 'volumes', 'endpoint', 'microversion',
                     'project_id', 'session', 'timeout', 'page_concurrency',
                     'requested_version']

FILTERS = [('name', None), ('status', None), ('volume', None),
           ('name_like', None), ('status_like', None), ('volume_like', None),
           ('all_projects', False), ('project', None),
           ('project_domain', None)]
SCOPE = [('all_projects', False), ('project', None),
         ('project_domain', None)]
WINDOWS = [('created_before', None), ('created_after', None),
           ('data_timestamp_before', None), ('data_timestamp_after', None)]
# Issue 26: the decoded flag, filtered on the client.
INCREMENTAL = [('incremental', None)]
# Each method's parameters after self, in order: (name, kind, default).
MANAGER_METHODS = {
    'list': [(n, KW, d) for n, d in FILTERS + WINDOWS + INCREMENTAL + [
        ('sort', None), ('limit', None), ('offset', None), ('marker', None),
        ('on_page', None)]],
    'count': [(n, KW, d) for n, d in FILTERS + WINDOWS + INCREMENTAL],
    'get': [('backup_id', POS, inspect.Parameter.empty)],
    'parent_of': [('backup', POS, inspect.Parameter.empty)],
    'find': ([('name_or_id', POS, inspect.Parameter.empty)]
             + [(n, KW, d) for n, d in SCOPE]),
    'summary': [(n, KW, d) for n, d in [('group_by', ('status',))]
                + FILTERS + WINDOWS + INCREMENTAL + [('on_page', None)]],
    'coverage': [(n, KW, d) for n, d in [('max_age', '1d'),
                                         ('uncovered', False)]
                 + SCOPE + [('now', None), ('probe_bound', 50)]],
    'metrics': [(n, KW, d) for n, d in [('max_age', '1d'),
                                        ('per_volume', False),
                                        ('sizes', False)]
                + FILTERS + WINDOWS + INCREMENTAL + [('now', None)]],
    # The filters are list's but status and status_like (**filters).
    'plan_prune': [(n, KW, d) for n, d in [
        ('keep_last', None), ('keep_hourly', None), ('keep_daily', None),
        ('keep_weekly', None), ('keep_monthly', None), ('keep_yearly', None),
        ('keep_within', None), ('timezone', 'UTC'),
        ('remove_errors', False), ('now', None), ('on_page', None),
        ('lazy', False)]]
    + [('filters', inspect.Parameter.VAR_KEYWORD, inspect.Parameter.empty)],
    'prune': [('decisions', POS, inspect.Parameter.empty),
              ('progress', POS, None)],
    'delete': [('backup_id', POS, inspect.Parameter.empty),
               ('wait', POS, True)],
}

BACKUP_ATTRIBUTES = [
    'id', 'name', 'description', 'status', 'size', 'is_incremental',
    'created_at', 'availability_zone', 'volume_id', 'snapshot_id',
    'container', 'object_count', 'fail_reason', 'has_dependent_backups',
    'data_timestamp', 'updated_at', 'project_id', 'user_id',
    'encryption_key_id', 'metadata']

# Class -> its base in vbsclient.exceptions.
EXCEPTIONS = {
    'VBSError': Exception,
    'InvalidParameter': 'VBSError',
    'EmptyPolicy': 'VBSError',
    'InvalidSetting': 'VBSError',
    'CloudNotFound': 'InvalidSetting',
    'UnsupportedMicroversion': 'VBSError',
    'VersionNotSupported': 'VBSError',
    'NotFound': 'VBSError',
    'MarkerNotFound': 'NotFound',
    'NoUniqueMatch': 'VBSError',
    'HTTPError': 'VBSError',
    'ConnectionFailed': 'VBSError',
    'TLSFailed': 'ConnectionFailed',
    'AuthFailed': 'VBSError',
    'EndpointNotFound': 'VBSError',
    'BadResponse': 'VBSError',
    'PaginationError': 'VBSError',
    'ScopeIgnored': 'VBSError',
    'RetryAfterTooLong': 'VBSError',
    'BackupServiceUnavailable': 'VBSError',
    'HasDependents': 'VBSError',
    'DeletionFailed': 'VBSError',
    'ScopeIgnoredWarning': UserWarning,
}


def params_of(func):
    return [(p.name, p.kind, p.default)
            for p in inspect.signature(func).parameters.values()
            if p.name != 'self']


class TestPublicSurface(base.TestCase):

    def test_client_constructor(self):
        self.assertEqual(CLIENT_PARAMS, params_of(client_mod.Client))

    def test_client_from_cloud(self):
        self.assertIsInstance(inspect.getattr_static(
            client_mod.Client, 'from_cloud'), classmethod)
        self.assertEqual(
            [('name', POS, None),
             ('overrides', inspect.Parameter.VAR_KEYWORD,
              inspect.Parameter.empty)],
            params_of(client_mod.Client.from_cloud))

    def test_client_attributes(self):
        client = client_mod.Client(self.token_session())
        for name in CLIENT_ATTRIBUTES:
            self.assertTrue(hasattr(type(client), name)
                            or name in vars(client), name)
        self.assertIsInstance(client.backups, backups.BackupManager)

    def test_manager_methods(self):
        public = sorted(name for name in dir(backups.BackupManager)
                        if not name.startswith('_'))
        self.assertEqual(sorted(MANAGER_METHODS), public)
        for name, expected in MANAGER_METHODS.items():
            self.assertEqual(
                expected, params_of(getattr(backups.BackupManager, name)),
                name)

    def test_backup_attributes(self):
        self.assertEqual(BACKUP_ATTRIBUTES, list(backup_mod.ATTRIBUTES))
        b = backup_mod.Backup({'id': 'b'})
        for name in BACKUP_ATTRIBUTES + ['to_dict']:
            self.assertTrue(hasattr(b, name), name)
        self.assertEqual({'id': 'b'}, b.to_dict())

    def test_exception_classes(self):
        public = sorted(
            name for name, value in vars(exceptions).items()
            if isinstance(value, type) and not name.startswith('_'))
        self.assertEqual(sorted(EXCEPTIONS), public)
        for name, parent in EXCEPTIONS.items():
            if isinstance(parent, str):
                parent = getattr(exceptions, parent)
            self.assertIn(parent, getattr(exceptions, name).__bases__,
                          name)
