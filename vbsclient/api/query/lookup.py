"""Names to IDs: a UUID passes through, anything else costs one filtered
request, never a listing of everything.

Every backup or volume ID the client sends goes through
:func:`canonical_id` first: Cinder stores them lower case and hyphenated
and compares them exactly, so ``2D36E33C...`` (no hyphens, upper case)
would match nothing.  Project IDs are Keystone's (often 32 hex digits
without hyphens) and are sent as given.
"""

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


def canonical_id(value):
    """A backup or volume ID in the form Cinder stores and compares.

    A UUID-shaped ``value`` (:func:`is_id`: with or without hyphens, any
    case, braces or ``urn:uuid:``) becomes lower case and hyphenated
    (``2d36e33c-aac0-53eb-ba9f-c7179f439de9``); anything else (a name, a
    substring) is returned unchanged.  Use it wherever a backup or volume
    ID leaves the client: filters, markers, paths.
    """
    if is_id(value):
        return str(uuid.UUID(value))
    return value


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
    if domain and is_id(domain):
        query['domain_id'] = domain
    elif domain:
        ids = _ids_named(identity, 'domains', {'name': domain})
        query['domain_id'] = ids[0] if ids and len(ids) == 1 else domain
    ids = _ids_named(identity, 'projects', query)
    if ids is None:
        return name_or_id
    where = ' in domain %s' % domain if domain else ''
    return one('project', name_or_id, ids[:MATCHES_SHOWN], where)


def _ids_named(identity, collection, query):
    """IDs of the Keystone ``collection`` matching ``query``.

    None when Keystone does not let the caller list them (403).
    """
    try:
        _url, body = identity.get(collection, query, 'looking up %s %r'
                                  % (collection[:-1], query['name']))
    except exceptions.HTTPError as e:
        if e.status == 403:
            return None
        raise
    return [item.get('id') for item in body.get(collection) or ()
            if isinstance(item, dict)]
