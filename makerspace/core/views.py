from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from makerspace.accounts.models import Role


@login_required
def home(request):
    """The workspace: each role lands on its own queue."""
    if request.user.role == Role.APPLICANT:
        return redirect("applications:list")
    return render(request, "core/home.html", {"title": "工作台"})


@require_GET
def healthz(request):
    """Liveness probe for load balancers; also the bare-Django baseline of the load benchmark."""
    return HttpResponse("ok", content_type="text/plain")
