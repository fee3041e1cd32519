"""The sample data of tools/local-cloud, which the docs' examples show.

Made to teach: each backup's size is its volume's, its name names its
volume (``db-nightly-N`` belongs to db-data), the second project backs up
volumes of its own, and the dates spread over 2024 so age windows split
them.  Per volume, fulls start chains of incrementals whose parent is the
newest available backup of the volume created before (Cinder's rule when it
makes an incremental): ``parent_id`` on the child, ``num_dependent_backups``
on the parent, and a VBS-form description's ``INC`` agrees.  Every backup is
one cinder-backup can delete (``chains.DELETABLE``) once it is available or
failed: Cinder refuses to delete a busy one.  Two volumes named
scratch (no backups) and two backups named archive show what a name with
several matches gives.  IDs (projects included) are the same on every start.
"""

import datetime
import json
import uuid

from tests.harness import chains
from tests.harness import cloud
from tests.harness import seed

MEMBER_PROJECT = cloud.MEMBER_PROJECT
OTHER_PROJECT = 'vbs-other-project'
_NS = uuid.uuid5(uuid.NAMESPACE_URL, 'vbs-local')
PROJECT_IDS = {name: uuid.uuid5(_NS, name).hex
               for name in (MEMBER_PROJECT, OTHER_PROJECT)}

# name: (size in GB, the two name templates its backups alternate)
MEMBER_VOLUMES = {
    'db-data': (40, ('db-nightly-{i}', 'Daily DB {i}')),
    'web-data': (20, ('web-frontend-{i}', 'DAILY-web-{i}')),
    'mail-data': (30, ('mail-daily-{i}', 'mail-weekly-{i}')),
    'logs': (10, ('logs-sauvegarde-\u00e9t\u00e9-{i}', 'logs-weekly-{i}')),
    'home': (5, ('home-\u65e5\u6b21\u30d0\u30c3\u30af\u30a2\u30c3\u30d7-{i}',
                 'home-weekly-{i}')),
}
OTHER_VOLUMES = {
    'ci-cache': (15, ('ci-cache-weekly-{i}',)),
    'ci-artifacts': (8, ('ci-artifacts-weekly-{i}',)),
}
SHARED_VOLUME_NAME = 'scratch'
SHARED_BACKUP_NAME = 'archive'
MEMBER_SERIES = 40
OTHER_SERIES = 5
# Index in the member's series: status (every other one is available).
_STATUSES = {2: 'error', 11: 'error_deleting', 17: 'error', 24: 'deleting',
             33: 'error', 36: 'restoring', 38: 'creating'}
_OTHER_STATUSES = {3: 'error'}
START = datetime.datetime(2024, 1, 5, 2, 0)


def _id(group, i):
    return str(uuid.uuid5(_NS, '%s-%d' % (group, i)))


def volume_ids(volumes, group):
    return {name: _id(group, k) for k, name in enumerate(volumes)}


MEMBER_VOLUME_IDS = dict(zip(MEMBER_VOLUMES, seed.VOLUME_IDS))
OTHER_VOLUME_IDS = volume_ids(OTHER_VOLUMES, 'other-volume')
SCRATCH_IDS = [_id('scratch', k) for k in range(2)]


def _plan(specs, volumes):
    """Fill in parent, incremental flag, size, description of each spec.

    ``specs`` are dicts (id, name, volume, status, created, full), oldest
    first; an incremental that has no available backup before it is a full.
    """
    newest = {}
    for spec in specs:
        parent = newest.get(spec['volume'])
        incremental = (not spec['full'] and parent is not None and
                       spec['status'] in ('available', 'restoring'))
        spec['parent_id'] = parent if incremental else None
        size = volumes[spec['volume']][0]
        spec['size'] = size
        spec['object_count'] = size // 4 + 1 if incremental else size * 4
        kind = 'incremental' if incremental else 'full'
        if spec['volume'] == 'mail-data':  # VBS's form, decoded by clients
            spec['description'] = json.dumps(
                {'DESC': 'mail-data %s' % kind, 'INC': int(incremental)})
        elif spec['volume'] == 'home':
            spec['description'] = None
        else:
            spec['description'] = '%s backup of %s' % (kind, spec['volume'])
        if spec['status'] == 'available':
            newest[spec['volume']] = spec['id']
    return specs


def member_backups():
    """The member's backups, oldest first (specs as ``_plan`` fills)."""
    names = list(MEMBER_VOLUMES)
    specs = [{'id': _id('archive', k), 'name': SHARED_BACKUP_NAME,
              'volume': volume, 'status': 'available', 'full': True,
              'created': datetime.datetime(2024, 1, 2 + k, 23, 30)}
             for k, volume in enumerate(('logs', 'home'))]
    for i in range(MEMBER_SERIES):
        volume = names[(i + 1) % len(names)]
        k = i // len(names)  # the how-manieth of its volume
        specs.append({
            'id': _id('member', i), 'volume': volume,
            'name': MEMBER_VOLUMES[volume][1][(k + 1) % 2].format(i=i),
            'status': _STATUSES.get(i, 'available'), 'full': k % 4 == 0,
            'created': START + datetime.timedelta(days=9 * i,
                                                  minutes=7 * (i % 5))})
    return _plan(specs, MEMBER_VOLUMES)


def other_backups():
    """The other project's backups, oldest first."""
    names = list(OTHER_VOLUMES)
    specs = [{
        'id': _id('other', i), 'volume': names[i % 2],
        'name': OTHER_VOLUMES[names[i % 2]][1][0].format(i=i),
        'status': _OTHER_STATUSES.get(i, 'available'), 'full': i < 2,
        # The newest among the member's: an admin's listing mixes them.
        'created': datetime.datetime(2024, 12, 16, 4, 0)
        - datetime.timedelta(days=40 * (OTHER_SERIES - 1 - i))}
        for i in range(OTHER_SERIES)]
    return _plan(specs, OTHER_VOLUMES)


def _seed(db_path, specs, project_id, user_id, volume_ids):
    def column(key):
        return lambda i, row: specs[i][key]
    return chains.deletable(
        db_path, len(specs), project_id, user_id,
        id=column('id'), name=column('name'), status=column('status'),
        volume_id=lambda i, row: volume_ids[specs[i]['volume']],
        created_at=column('created'), data_timestamp=column('created'),
        updated_at=lambda i, row: specs[i]['created']
        + datetime.timedelta(minutes=2 + specs[i]['size'] // 4),
        size=column('size'), object_count=column('object_count'),
        description=column('description'), parent_id=column('parent_id'),
        fail_reason=lambda i, row: ('volume busy' if specs[i]['status']
                                    .startswith('error') else None))


def seed_samples(local):
    """Volumes and backups of both projects; returns the other's id.

    ``local`` started with ``project_ids=PROJECT_IDS``.
    """
    db = local.cinder_db_path
    member, other_user = local.member, local.admin.user_id
    for volumes, ids, project, user in (
            (MEMBER_VOLUMES, MEMBER_VOLUME_IDS, member.project_id,
             member.user_id),
            (OTHER_VOLUMES, OTHER_VOLUME_IDS,
             local.ensure_project(OTHER_PROJECT), other_user)):
        seed.seed_volumes(db, list(volumes), project, user,
                          ids=[ids[n] for n in volumes],
                          sizes=[volumes[n][0] for n in volumes])
    seed.seed_volumes(db, [SHARED_VOLUME_NAME] * 2, member.project_id,
                      member.user_id, ids=SCRATCH_IDS)
    _seed(db, member_backups(), member.project_id, member.user_id,
          MEMBER_VOLUME_IDS)
    other = local.ensure_project(OTHER_PROJECT)
    _seed(db, other_backups(), other, other_user, OTHER_VOLUME_IDS)
    return other
