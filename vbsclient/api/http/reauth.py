"""Sends a GET once more after a 401, with a renewed token.

keystoneauth would answer a 401 by dropping the token, getting a new one
and sending the request again, once, inside the same call: that attempt
would not see the request's deadline.  Its re-authentication is off for
our GETs, and done here instead, between attempts, with the same rule:
when the 401 came with the session's current token, the token is dropped
and a new one fetched; when another page thread renewed it meanwhile
(several pages in flight when a token is revoked), the current one is
used.  Either way the GET is sent once more.  A token nothing renews (a
fixed token) keeps its 401.
"""

import logging

from keystoneauth1 import exceptions as ksa_exceptions

LOG = logging.getLogger(__name__)


def after_renewal(session, send):
    """``send`` (a GET returning a response), resent once after a 401."""
    def get(*args, **kwargs):
        kwargs['allow_reauth'] = False
        resp = send(*args, **kwargs)
        if resp.status_code != 401:
            return resp
        sent = resp.request.headers.get('X-Auth-Token')
        try:
            # Waits for a renewal under way in another thread.
            current = session.get_token()
            if current == sent and session.invalidate():
                current = session.get_token()
        except ksa_exceptions.ClientException as e:
            LOG.debug('no token after a 401: %s', e)
            return resp
        if not sent or current == sent:
            return resp
        LOG.debug('401 for a token no longer current; sending again')
        return send(*args, **kwargs)
    return get
