import re
from urllib.parse import urlsplit

from django.core import mail
from django.test import TestCase
from django.urls import reverse

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/register/confirm/\S+/")


def registration_post(client, data):
    """POST the registration form with its mail sent, as after the request's commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("accounts:register"), data)


def confirm_link(email: str) -> str | None:
    """The path of the confirmation link last mailed to `email`, or None."""
    for message in reversed(mail.outbox):
        if email in message.to:
            found = CONFIRM_LINK.findall(message.body)
            return urlsplit(found[0]).path if found else None
    return None


def register_confirmed(client, data):
    """Register as the person with that mailbox would: send the form, open the link of the mail
    and confirm it. Returns the confirmation's response."""
    registration_post(client, data)
    link = confirm_link(data["email"])
    assert link, "no confirmation link was mailed"
    return client.post(link)
