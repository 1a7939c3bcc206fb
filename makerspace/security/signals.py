from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .auth import mark_recent_auth


@receiver(user_logged_in)
def password_login_is_recent_auth(sender, request, user, **kwargs):
    """A login through a form (a POST with the password) counts as a fresh authentication."""
    if request is not None and request.method == "POST" and hasattr(request, "session"):
        mark_recent_auth(request)
