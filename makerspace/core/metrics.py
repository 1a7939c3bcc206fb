"""Prometheus metrics (prometheus-client): requests and their latency by view, and, read from the
database at each scrape, the document jobs by status and the outbox depth.

With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR to an empty directory shared by the
workers of one server (docs/deployment.md): each worker writes its counters there and a scrape sums
them. `/metrics` answers a scraper on the server itself (loopback, not through the proxy), a bearer
METRICS_TOKEN, or a signed-in user the permission module allows (`core.view_metrics`)."""

import hmac
import os
import time

from django.conf import settings
from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter("makerspace_http_requests_total", "HTTP requests answered", ["method", "view", "status"])
LATENCY = Histogram(
    "makerspace_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
LOOPBACK = {"127.0.0.1", "::1"}


class MetricsMiddleware:
    """Outermost: times the whole answer. The view label is the URL pattern's name, never the path
    (a path holds ids: unbounded label values)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else ""
        if not view:
            view = "probe" if request.path in ("/healthz", "/readyz") else "-"
        LATENCY.labels(request.method, view).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, view, str(response.status_code)).inc()
        return response


class WorkCollector:
    """Jobs and outbox entries by status, counted when scraped (the same for every worker)."""

    def collect(self):
        from django.db.models import Count

        from makerspace.core.models import OutboxMessage
        from makerspace.documents.models import DocumentJob

        jobs = GaugeMetricFamily("makerspace_document_jobs", "Document jobs by status", labels=["status"])
        counts = dict(DocumentJob.objects.values_list("status").annotate(n=Count("pk")).order_by())
        for status in DocumentJob.Status.values:
            jobs.add_metric([status], counts.get(status, 0))
        running = DocumentJob.objects.filter(status=DocumentJob.Status.RUNNING)
        stalled = GaugeMetricFamily("makerspace_document_jobs_stalled", "Running jobs without a heartbeat")
        stalled.add_metric([], sum(1 for job in running if job.is_stalled))
        outbox = GaugeMetricFamily(
            "makerspace_outbox_messages", "Outbox entries by status", labels=["status"]
        )
        counts = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("pk")).order_by())
        for status in OutboxMessage.Status.values:
            outbox.add_metric([status], counts.get(status, 0))
        yield from (jobs, stalled, outbox)


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(WorkCollector())
    return registry


def may_scrape(request) -> bool:
    if request.META.get("REMOTE_ADDR") in LOOPBACK and "HTTP_X_FORWARDED_FOR" not in request.META:
        return True
    token = settings.METRICS_TOKEN
    offered = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
    if token and offered and hmac.compare_digest(offered.encode(), token.encode()):
        return True
    return request.user.has_perm("core.view_metrics")


def metrics(request) -> HttpResponse:
    from django.core.exceptions import PermissionDenied

    if not may_scrape(request):
        raise PermissionDenied("只有本机监控程序或系统管理员可以查看运行指标。")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
