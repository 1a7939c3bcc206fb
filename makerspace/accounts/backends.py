"""The password backend, loading the signed-in user together with the organisation they act for."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from makerspace.core.prepared import Prepared


def _user_with_organisation(pk):
    return get_user_model()._default_manager.select_related("organisation").filter(pk=pk)


# Every signed-in request reads it: compiled once (makerspace.core.prepared).
_USER = Prepared(_user_with_organisation, int)


class OrganisationModelBackend(ModelBackend):
    """Every page shows the user's organisation (the base template's header) and nearly every
    permission check reads it: one joined query per request instead of two."""

    def get_user(self, user_id):
        rows = _USER(user_id)
        if not rows:
            return None
        user = rows[0]
        return user if self.user_can_authenticate(user) else None
