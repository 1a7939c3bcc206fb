from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from makerspace.accounts.models import Role
from makerspace.core.errors import RuleViolation, StateConflict
from makerspace.core.forms import add_validation_error


@login_required
def home(request):
    """The workspace: each role lands on its own queue."""
    if request.user.role == Role.APPLICANT:
        return redirect("applications:list")
    queue = queue_url_for(request.user)
    if queue:
        return redirect(queue)
    return render(request, "core/home.html", {"title": "工作台"})


# The queue each party of the review chain lands on (makerspace.reviews).
QUEUE_OF_ROLE = {
    Role.SUPERVISOR: "reviews:supervisor_queue",
    Role.RECOMMENDER: "reviews:recommender_queue",
    Role.ACCEPTANCE: "reviews:acceptance_queue",
    Role.PROVINCE: "reviews:province_queue",
    Role.MINISTRY: "reviews:ministry_queue",
}


def queue_url_for(user) -> str | None:
    from django.urls import reverse

    name = QUEUE_OF_ROLE.get(getattr(user, "role", None))
    return reverse(name) if name else None


# What a page says to a role that may not use it.
PAGE_REFUSED = "您的角色不能使用此页面。"


def attempt(request, action: Callable, success: str, form=None, *, name_rule: bool = True) -> bool:
    """Run a service; show what refused it next to the form, or as a message (with the code of the
    rule that refused it, unless `name_rule` is off). True when it went."""
    try:
        action()
    except StateConflict as error:
        messages.error(request, str(error))
    except RuleViolation as error:
        text = f"（{error.rule}）{error.message}" if name_rule else error.message
        if form is not None:
            form.add_error(None, text)
        else:
            messages.error(request, text)
    except ValidationError as error:
        if form is not None:
            add_validation_error(form, error)
        else:
            messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, success)
        return True
    return False


def attempt_posted(
    request, form, action: Callable[[dict], object], success: str, invalid: str, *, name_rule: bool = True
) -> bool:
    """A posted form carried out by a service, `action(form.cleaned_data)`: `invalid` as the message
    when the form does not validate, else as `attempt`."""
    if not form.is_valid():
        messages.error(request, invalid)
        return False
    return attempt(request, lambda: action(form.cleaned_data), success, name_rule=name_rule)
