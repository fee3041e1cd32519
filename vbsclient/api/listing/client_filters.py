"""The filters the client answers itself, after the server narrowed the
listing: fuzzy filters taken literally, and the incremental flag.

Cinder passes ``name~``, ``status~`` and ``volume_id~`` to SQL ``LIKE
'%text%'``, where ``_`` and ``%`` are wildcards: ``name~=_`` matches every
name.  The text is still sent (the server narrows the listing), and when it
holds a wildcard the client keeps only the rows whose field contains the
text literally.  Case is ignored, as Cinder's databases ignore it (sqlite
for ASCII letters, MySQL's default collations), so the client never drops
a row the server kept for its case alone.  Text without a wildcard is
exactly what ``LIKE`` means already: nothing is checked on the client.

``incremental`` has no query key: it keeps the backups whose decoded flag
(:attr:`vbsclient.backup.Backup.is_incremental`) is that value; a backup
whose flag is unknown (None) is in neither.

A listing with a client filter pages on the server without ``limit`` and
``offset`` (they apply to the rows kept), and a count reads the listing.
"""

# Fuzzy parameter -> the Backup attribute it matches.
FUZZY = {'name_like': 'name', 'status_like': 'status',
         'volume_like': 'volume_id'}
WILDCARDS = ('_', '%')


def _folded(text):
    return text.lower()


def literal(text):
    """Whether the server's ``LIKE`` already means "contains ``text``"."""
    return not any(w in text for w in WILDCARDS)


def keeps(params):
    """``keep(backup) -> bool`` for checked list ``params``, or None.

    None when the server's answer needs no check on the client.
    """
    checks = []
    for param, attr in FUZZY.items():
        text = params.get(param)
        # (A volume ID, sent in Cinder's form, has no wildcard.)
        if text is None or literal(text):
            continue
        checks.append(_contains(attr, _folded(text)))
    incremental = params.get('incremental')
    if incremental is not None:
        checks.append(lambda b: b.is_incremental is incremental)
    if not checks:
        return None
    return lambda backup: all(check(backup) for check in checks)


def _contains(attr, text):
    def check(backup):
        value = getattr(backup, attr)
        return isinstance(value, str) and text in _folded(value)
    return check


def kept(backups, keep, offset=None, limit=None):
    """The ``backups`` that ``keep`` keeps.

    ``offset`` and ``limit`` count the rows kept (the server was sent
    neither).
    """
    skip, left = offset or 0, limit
    for backup in backups:
        if not keep(backup):
            continue
        if skip:
            skip -= 1
            continue
        yield backup
        if left is not None:
            left -= 1
            if left == 0:
                return
