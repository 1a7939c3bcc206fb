from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .auth import mark_recent_auth


@receiver(user_logged_in)
def password_login_is_recent_auth(sender, request, user, **kwargs):
    """A login through a form (a POST with the password) counts as a fresh authentication."""
    if request is not None and request.method == "POST" and hasattr(request, "session"):
        mark_recent_auth(request)


@receiver(user_login_failed)
def count_failures_per_account(sender, credentials, request=None, **kwargs):
    """Failures per account from every address (see security.forms.LoginForm)."""
    from .forms import note_login_failure

    note_login_failure(credentials.get("username", ""))
