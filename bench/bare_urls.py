"""The project's URLs and one bare view, for bench/measure_rush.py's yardstick: a request that
passes every middleware (session read, user loaded, permission and security checks) and renders
nothing. /healthz no longer serves: the probes are answered before the session is read."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project


def bare(request):
    return HttpResponse(f"{request.user.pk}", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *project]
