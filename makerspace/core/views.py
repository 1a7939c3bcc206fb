from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from makerspace.accounts.models import Role


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
