"""The session engine: Django's database sessions, read by SQL compiled once.

Every signed-in request reads its session row. Django's store builds and compiles that query
anew each time, with the clock among its conditions (`expire_date > now`), so it cannot be a
prepared query (makerspace.core.prepared takes no clock). Here the row is read by its key alone,
in SQL compiled once, and its expiry compared in Python: the same rule, the same row, the same
outcome (an expired or unknown key is a new, empty session). Writes, creation, key cycling and
clear_expired are Django's own.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from makerspace.core.prepared import Prepared


def _session_by_key(session_key: str):
    return Session.objects.filter(session_key=session_key)


_SESSION = Prepared(_session_by_key, str)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        rows = _SESSION(self.session_key)
        if rows and rows[0].expire_date > timezone.now():
            return rows[0]
        self._session_key = None
        return None
