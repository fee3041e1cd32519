"""Names to IDs: a UUID passes through, anything else costs one filtered
request, never a listing of everything."""

import uuid

from vbsclient import exceptions

# Enough to tell one match from many and to name a few in the error.
MATCHES_SHOWN = 5


def is_id(value):
    """Whether ``value`` is UUID-shaped (with or without hyphens)."""
    try:
        parsed = uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return False
    plain = value.lower()
    for prefix in ('urn:', 'uuid:'):
        plain = plain[len(prefix):] if plain.startswith(prefix) else plain
    return parsed.hex == plain.strip('{}').replace('-', '')


def one(kind, value, ids, where=''):
    """The one ID of ``ids``; NotFound or NoUniqueMatch otherwise.

    ``where`` (" in project ...") ends the message.
    """
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise exceptions.NotFound('no %s with name or ID %r%s'
                                  % (kind, value, where))
    more = ' or more' if len(ids) >= MATCHES_SHOWN else ''
    raise exceptions.NoUniqueMatch(
        '%d%s %ss are named %r%s (%s); use the ID'
        % (len(ids), more, kind, value, where, ', '.join(ids)), ids)


def project_id(identity, name_or_id, domain=None):
    """A Keystone project ID, as ``openstack`` resolves ``--project``.

    A UUID-shaped value passes through. A user who may not list projects
    (Keystone answers 403) gets the value back as an ID: the block-storage
    server then says whether it may be used.
    """
    if is_id(name_or_id):
        return name_or_id
    query = {'name': name_or_id}
    if domain:
        query['domain_id'] = _domain_id(identity, domain)
    try:
        _url, body = identity.get('projects', query,
                                  'looking up project %r' % name_or_id)
    except exceptions.HTTPError as e:
        if e.status == 403:
            return name_or_id
        raise
    ids = [p.get('id') for p in body.get('projects') or ()
           if isinstance(p, dict)]
    where = ' in domain %s' % domain if domain else ''
    return one('project', name_or_id, ids[:MATCHES_SHOWN], where)


def _domain_id(identity, name_or_id):
    """The ID of a domain named ``name_or_id``, else the value itself."""
    try:
        _url, body = identity.get('domains', {'name': name_or_id},
                                  'looking up domain %r' % name_or_id)
    except exceptions.HTTPError as e:
        if e.status == 403:
            return name_or_id
        raise
    ids = [d.get('id') for d in body.get('domains') or ()
           if isinstance(d, dict)]
    return ids[0] if len(ids) == 1 else name_or_id
