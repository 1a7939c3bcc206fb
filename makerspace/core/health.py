"""Probes for load balancers and orchestrators.

`/healthz` (liveness): the process answers and its database connection works; 503 otherwise, so a
server that lost its database leaves the pool. `/readyz` (readiness): the database, the broker and
the storage, each named in a JSON body. Both are answered by `HealthCheckMiddleware` before host
validation, sessions and the HTTPS redirect: a probe comes by plain HTTP to the server's own
address. They say nothing about any user or application."""

import json
import time

from django.conf import settings
from django.db import connections
from django.http import HttpResponse

PATHS = ("/healthz", "/readyz")


def check_database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "embedded"
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=settings.BROKER_CONNECT_TIMEOUT)
    return "ok"


def check_storage() -> str:
    from django.core.files.storage import default_storage

    # A HEAD on S3, a stat on disk: the storage answers and the credentials are accepted.
    default_storage.exists("healthz-probe")
    return "ok"


CHECKS = {"database": check_database, "broker": check_broker, "storage": check_storage}


def _run(names) -> tuple[bool, dict]:
    results, healthy = {}, True
    for name in names:
        started = time.monotonic()
        try:
            status = CHECKS[name]()
        except Exception as error:
            healthy = False
            status = f"error: {type(error).__name__}"
        results[name] = {"status": status, "ms": round((time.monotonic() - started) * 1000, 1)}
    return healthy, results


def _answer(healthy: bool, body) -> HttpResponse:
    response = HttpResponse(body, status=200 if healthy else 503, content_type="text/plain; charset=utf-8")
    if isinstance(body, dict):
        response.content = json.dumps(body, ensure_ascii=False)
        response["Content-Type"] = "application/json"
    response["Cache-Control"] = "no-store"
    return response


def healthz(request) -> HttpResponse:
    healthy, _ = _run(["database"])
    return _answer(healthy, "ok" if healthy else "database unavailable")


def readyz(request) -> HttpResponse:
    healthy, results = _run(CHECKS)
    return _answer(healthy, {"ready": healthy, "checks": results})


class HealthCheckMiddleware:
    """First in MIDDLEWARE: the probes are answered before anything that could refuse them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path in PATHS:
            return healthz(request) if request.path == "/healthz" else readyz(request)
        return self.get_response(request)
