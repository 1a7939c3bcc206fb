from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from makerspace.accounts.models import Role


@login_required
def home(request):
    """The workspace: each role lands on its own queue."""
    if request.user.role == Role.APPLICANT:
        return redirect("applications:list")
    return render(request, "core/home.html", {"title": "工作台"})
