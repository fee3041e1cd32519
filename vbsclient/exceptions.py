"""The errors of the VBS Python API.

Every error prints as one line. Messages speak the API's terms: a
parameter is named as the Python keyword that set it (``name_like``), a
setting by its name (``api_version``). A front end with other words for
them (the ``openstack`` CLI names options) gets the same message in its
own words from :meth:`VBSError.reword`.
"""


# How a term reads in API words when it is not simply its own name.
API_WORDS = {
    'verify': "the session's verify=<CA file>",
}


def _one_line(text):
    return ' '.join(str(text).split())


class _Worded:
    """A message template whose ``terms`` may be reworded by a front end.

    ``values`` fill the template; those named in ``terms`` hold a term (a
    parameter or setting name) that :meth:`reword` may replace. Values are
    substituted, never parsed, so braces in a server's text are safe.
    """

    def _set_message(self, template, values, terms=()):
        self.template = template
        self.values = dict(values)
        self.terms = frozenset(terms)
        return self.reword({})

    def reword(self, names):
        """The message with each term ``t`` written ``names[t]`` if given.

        Terms ``names`` lacks read in API words.

        :returns: the message, one line.
        """
        values = {
            key: (names.get(value, API_WORDS.get(value, value))
                  if key in self.terms else value)
            for key, value in self.values.items()}
        return _one_line(self.template.format(**values))


class VBSError(_Worded, Exception):
    """Base class of every error the library raises."""

    def __init__(self, message, values=None, terms=()):
        if values is None:
            # A plain message: nothing to fill in or reword.
            message, values = '{message}', {'message': message}
        super().__init__(self._set_message(message, values, terms))


class InvalidParameter(VBSError):
    """A parameter value the client refuses before sending anything.

    :ivar param: the parameter's name.
    :ivar reason: what is wrong with the value.
    """

    def __init__(self, param, value, reason, **terms):
        # With ``terms``, ``reason`` names other parameters as
        # {placeholders}, reworded like ``param``; else it is plain text.
        self.param = param
        self.value = value
        if not terms:
            reason = reason.replace('{', '{{').replace('}', '}}')
        self.reason = reason.format(**terms)
        values = dict(terms, param=param, value=value)
        super().__init__('invalid {param} {value!r}: ' + reason, values,
                         terms=('param',) + tuple(terms))


class EmptyPolicy(VBSError):
    """A keep policy without any rule: it would keep only the newest.

    :ivar rules: the parameters that set a rule.
    """

    def __init__(self, rules):
        self.rules = tuple(rules)
        names = {'rule%d' % i: rule for i, rule in enumerate(self.rules)}
        listed = ', '.join('{rule%d}' % i for i in range(len(self.rules)))
        super().__init__('no keep rule given: give at least one of '
                         + listed, names, terms=names)


class InvalidSetting(VBSError):
    """A malformed client setting (from code, a variable or clouds.yaml).

    :ivar setting: the setting's name (``api_version``, ``timeout``, ...).
    """

    def __init__(self, setting, value, source, expected):
        self.setting = setting
        self.value = value
        self.source = source
        super().__init__(
            'invalid {setting} {value!r} (from {source}): {expected}',
            {'setting': setting, 'value': str(value), 'source': source,
             'expected': expected}, terms=('setting',))


class CloudNotFound(InvalidSetting):
    """``Client.from_cloud``: no cloud of that name in clouds.yaml.

    :ivar cloud: the name looked for.
    :ivar files: the clouds.yaml read (empty: none was found).
    """

    def __init__(self, cloud, source, files, searched):
        self.cloud = cloud
        self.files = tuple(files)
        if self.files:
            where = 'no such cloud in %s' % ', '.join(self.files)
        else:
            where = 'no clouds.yaml found in %s' % ', '.join(searched)
        super().__init__('cloud', cloud, source, where)


class EndpointNotFound(VBSError):
    """Neither the catalog nor the endpoint override gives an endpoint."""


class VersionNotSupported(VBSError):
    """No microversion both the server and the client accept."""


class UnsupportedMicroversion(VBSError):
    """A parameter the microversion in use cannot carry.

    Raised before the request that would carry it is sent.

    :ivar param: the parameter (``name_like``; ``sort:name`` for a sort key;
        ``count`` for counting).
    :ivar required: the microversion that carries it.
    :ivar in_use: the microversion in use.
    """

    def __init__(self, param, required, in_use):
        self.param = param
        self.required = required
        self.in_use = in_use
        super().__init__(
            '{param} needs {version} {required} or later; the version in '
            'use is {in_use}',
            {'param': param, 'version': 'api_version', 'required': required,
             'in_use': in_use}, terms=('param', 'version'))


class HTTPError(VBSError):
    """The server answered with an error status.

    :ivar status: the HTTP status code.
    :ivar request_id: the server's request ID, or None.
    :ivar detail: the server's own message, or None.
    :ivar method: the request's method.
    :ivar url: the request's URL, without its query.
    """

    def __init__(self, method, url, status, reason, detail, request_id):
        self.method = method
        self.url = url
        self.status = status
        self.reason = reason
        self.detail = detail
        self.request_id = request_id
        text = 'VBS API answered %s %s to %s %s' % (status, reason or '',
                                                    method, url)
        if detail:
            text += ': %s' % detail
        if request_id:
            text += ' (request-id: %s)' % request_id
        super().__init__(text)


class AuthFailed(VBSError):
    """Authentication (or the catalog lookup) answered with an error."""


class ConnectionFailed(VBSError):
    """A request got no HTTP answer at all."""


class TLSFailed(ConnectionFailed):
    """The TLS handshake failed (most often: a certificate not verified)."""


class RetryAfterTooLong(VBSError):
    """The server asked to wait longer than the request timeout leaves."""


class BadResponse(VBSError):
    """The server's answer is not what the API documents."""


class PaginationError(VBSError):
    """Paging cannot go on exactly.

    The server's next links repeat or never end, it sent a backup twice, or
    the rows a listing was to continue after were all deleted.
    """


class NotFound(VBSError):
    """No resource has the name or ID looked for."""


class MarkerNotFound(NotFound):
    """The backup a listing was asked to start after does not exist.

    :ivar marker: the backup ID given as the marker.
    """

    def __init__(self, marker, error):
        self.marker = marker
        super().__init__(
            '{param} {marker}: no such backup (the server answered '
            '{status}{detail})',
            {'param': 'marker', 'marker': marker, 'status': error.status,
             'detail': ': %s' % error.detail if error.detail else ''},
            terms=('param',))


class NoUniqueMatch(VBSError):
    """Several resources have the name looked for.

    :ivar ids: the IDs of the matches found (a few at most).
    """

    def __init__(self, message, ids):
        self.ids = list(ids)
        super().__init__(message)


class ScopeIgnored(VBSError):
    """The server would not list the scope asked for.

    ``project`` refused (without the admin role), or answered with the
    backups of another project than the one asked for.
    """


class ScopeIgnoredWarning(_Worded, UserWarning):
    """The answer does not show the scope was kept (``warnings.warn``).

    The backups came without their owner: the server may have ignored
    ``all_projects`` or ``project`` and listed the caller's project.
    """

    def __init__(self, message, values, terms=()):
        super().__init__(self._set_message(message, values, terms))


class BackupServiceUnavailable(VBSError):
    """No backup service: Cinder answered a DELETE 404, the backup stays.

    :ivar backup_id: the backup whose DELETE was answered so.
    :ivar decisions: set by a prune that stopped here: its decisions, with
        what was done.
    """

    def __init__(self, backup_id, detail=None):
        self.backup_id = backup_id
        self.decisions = None
        super().__init__(
            'no backup service: the server answered 404 to deleting backup '
            '%s%s and the backup is still there; nothing more was deleted'
            % (backup_id, ' (%s)' % detail if detail else ''))


class HasDependents(VBSError):
    """A backup was not deleted: incremental backups depend on it.

    :ivar backup_id: the backup's ID.
    """

    def __init__(self, backup_id, detail=None):
        self.backup_id = backup_id
        super().__init__('backup %s has dependent incremental backups%s'
                         % (backup_id, ': %s' % detail if detail else ''))


class DeletionFailed(VBSError):
    """A deletion was accepted but the backup did not go away.

    :ivar backup_id: the backup's ID.
    :ivar status: its status at the end (``error_deleting``, or
        ``deleting`` when the wait ran out).
    """

    def __init__(self, backup_id, status, message):
        self.backup_id = backup_id
        self.status = status
        super().__init__(message)
