"""Errors of the VBS API layer; each prints as one line."""


def _one_line(text):
    return ' '.join(str(text).split())


class VBSError(Exception):
    """Base class: a failure the user should read as one line."""

    def __init__(self, message):
        super().__init__(_one_line(message))


class InvalidSetting(VBSError):
    """A plugin setting (option, variable or clouds.yaml key) is malformed."""


class EndpointNotFound(VBSError):
    """Neither the catalog nor the override gives a VBS endpoint."""


class VersionNotSupported(VBSError):
    """The requested microversion is outside what the server offers."""


class FilterNeedsMicroversion(VBSError):
    """A filter the microversion in use cannot carry."""

    def __init__(self, key, required, in_use, label=None):
        self.key = key
        self.required = required
        self.in_use = in_use
        super().__init__(
            '%s needs --os-vbs-backup-api-version %s or later; the version '
            'in use is %s' % (label or key, required, in_use))


class HTTPError(VBSError):
    """The server answered a request with an error status."""

    def __init__(self, method, url, status, reason, detail, request_id):
        self.method = method
        self.url = url
        self.status = status
        self.detail = detail
        self.request_id = request_id
        text = ' '.join(('VBS API answered %s %s to %s %s'
                         % (status, reason or '', method, url)).split())
        if detail:
            text += ': %s' % detail
        if request_id:
            text += ' (request-id: %s)' % request_id
        super().__init__(text)


class AuthFailed(VBSError):
    """Authentication (or the catalog lookup) answered with an error."""


class ConnectionFailed(VBSError):
    """The request did not get an HTTP answer at all."""


class BadResponse(VBSError):
    """The server's answer is not what the API documents."""


class PaginationError(VBSError):
    """The server's next links would repeat or never end."""


class MarkerNotFound(VBSError):
    """The marker the listing was asked to start after does not exist."""

    def __init__(self, marker, error, label=None):
        self.marker = marker
        super().__init__(
            '%s %s: no such backup (the server answered %s%s)'
            % (label or 'marker', marker, error.status,
               ': %s' % error.detail if error.detail else ''))


class NotFound(VBSError):
    """No resource has the name or ID looked for."""


class Ambiguous(VBSError):
    """Several resources have the name looked for."""


class ScopeIgnored(VBSError):
    """The server listed another scope than the one asked for."""


class TLSFailed(ConnectionFailed):
    """The TLS handshake failed, most often on an unverifiable certificate."""


class RetryAfterTooLong(VBSError):
    """The server asked to wait longer than the request timeout."""


def literal(text):
    """``text`` for a message template: its % signs kept as they are."""
    return str(text).replace('%', '%%')


class InvalidParameter(VBSError):
    """A Python parameter's value is refused before any request.

    The message is a template whose ``%(name)s`` placeholders are the
    parameters' Python names: ``str(e)`` shows them as they are and
    ``e.reword(names)`` with another vocabulary (the CLI's options).
    """

    def __init__(self, params, template):
        self.params = tuple(params)
        self.template = template
        super().__init__(self.reword({}))

    def reword(self, names):
        return _one_line(self.template % {
            p: names.get(p, p) for p in self.params})
