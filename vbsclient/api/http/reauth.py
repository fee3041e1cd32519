"""Sends a GET once more when its 401 was for a token already renewed.

keystoneauth answers a 401 by dropping the token, getting a new one and
sending the request again, once.  With pages in flight in several threads
when a token is revoked, the threads after the first find the token
already dropped; keystoneauth then gives up and returns their 401.  Such
an answer is for a token that is no longer the session's: the request is
sent once more with the current one.  A token nothing renews (a fixed
token) keeps its 401.
"""

import logging

from keystoneauth1 import exceptions as ksa_exceptions

LOG = logging.getLogger(__name__)


def after_renewal(session, send):
    """``send`` (a GET returning a response), resent after such a 401."""
    def get(*args, **kwargs):
        resp = send(*args, **kwargs)
        if resp.status_code != 401:
            return resp
        sent = resp.request.headers.get('X-Auth-Token')
        try:
            # Waits for a renewal under way in another thread.
            current = session.get_token()
        except ksa_exceptions.ClientException as e:
            LOG.debug('no token after a 401: %s', e)
            return resp
        if not sent or current == sent:
            return resp
        LOG.debug('401 for a token renewed meanwhile; sending again')
        return send(*args, **kwargs)
    return get
