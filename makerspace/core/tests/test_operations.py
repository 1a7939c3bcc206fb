"""What an operator sets and probes: liveness and readiness (503 when the database is gone, no
HTTPS redirect for plain-HTTP probes), SMTP from the environment, Chinese error pages, hashed and
compressed static files, checked persistent connections, JSON logs with request and user ids,
Prometheus metrics."""

import json
import logging
import runpy
from pathlib import Path
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import override_settings
from django.urls import reverse

from makerspace.core.logs import JsonFormatter, RequestContextFilter

pytestmark = pytest.mark.django_db

CONFIG = Path(__file__).resolve().parents[3] / "config"
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k" * 30 + "x9-Qz!uT" * 4,
    "SITE_URL": "https://filing.example.cn",
    "DJANGO_ALLOWED_HOSTS": "filing.example.cn",
}


def _settings(monkeypatch, module: str = "settings", **env) -> dict:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if module == "settings_production":
        # settings_production imports `.settings`: load it as the package does
        import importlib
        import sys

        for name in ("config.settings_production",):
            sys.modules.pop(name, None)
        saved = sys.modules.pop("config.settings", None)
        try:
            return vars(importlib.import_module("config.settings_production")).copy()
        finally:
            sys.modules.pop("config.settings_production", None)
            if saved is not None:
                sys.modules["config.settings"] = saved
    return runpy.run_path(str(CONFIG / "settings.py"))


# Probes -----------------------------------------------------------------------------------------


def test_healthz_answers_ok_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_the_database_refuses_queries(client):
    from django.db import connections

    real_cursor = connections["default"].cursor

    def gone():
        raise OperationalError("could not connect to server: Connection refused")

    with mock.patch.object(connections["default"], "cursor", side_effect=gone):
        assert client.get("/healthz").status_code == 503
        ready = client.get("/readyz")
    assert connections["default"].cursor is not None and real_cursor
    assert ready.status_code == 503
    body = ready.json()
    assert body["ready"] is False and body["checks"]["database"]["status"] == "error: OperationalError"


def test_readyz_names_database_broker_and_storage(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["broker"]["status"] == "embedded"  # no broker configured
    assert checks["storage"]["status"] == "ok"


def test_readyz_answers_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:8139/3"
    from config.celery import app

    saved = (app.conf.broker_url, app.conf.broker_transport)
    app.conf.broker_url, app.conf.broker_transport = (
        settings.CELERY_BROKER_URL,
        "makerspace.core.broker:Transport",
    )
    app._pool = None
    try:
        response = client.get("/readyz")
    finally:
        app.conf.broker_url, app.conf.broker_transport = saved
        app._pool = None
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"].startswith("error")


def test_probes_by_plain_http_to_the_servers_address_are_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["filing.example.cn"]
    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8131").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.5:8131").status_code == 200
    # everything else still goes to HTTPS
    assert client.get("/", HTTP_HOST="filing.example.cn").status_code == 301


def test_production_settings_exempt_the_probes_from_the_https_redirect(monkeypatch):
    loaded = _settings(monkeypatch, "settings_production", **PRODUCTION_ENV)
    assert loaded["SECURE_SSL_REDIRECT"] is True
    import re

    assert all(
        any(re.match(p, path) for p in loaded["SECURE_REDIRECT_EXEMPT"]) for path in ("healthz", "readyz")
    )


def test_production_keeps_its_database_connections_and_checks_them_before_reuse(monkeypatch):
    for name in ("CONN_MAX_AGE", "DB_CONN_MAX_AGE"):
        monkeypatch.delenv(name, raising=False)  # and put back as it was after the test
    database = _settings(monkeypatch, "settings_production", **PRODUCTION_ENV)["DATABASES"]["default"]
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)
    behind_a_pooler = _settings(monkeypatch, "settings_production", CONN_MAX_AGE="0", **PRODUCTION_ENV)
    assert behind_a_pooler["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


# Settings an operator sets ------------------------------------------------------------------------


def test_smtp_settings_come_from_the_environment(monkeypatch):
    loaded = _settings(
        monkeypatch,
        EMAIL_HOST="smtp.example.cn",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="filing",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_USE_TLS="1",
    )
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"]) == ("smtp.example.cn", 2525)
    assert (loaded["EMAIL_HOST_USER"], loaded["EMAIL_HOST_PASSWORD"]) == ("filing", "s3cret")
    assert loaded["EMAIL_USE_TLS"] is True and loaded["EMAIL_USE_SSL"] is False


def test_smtp_over_ssl_defaults_to_port_465(monkeypatch):
    loaded = _settings(monkeypatch, EMAIL_HOST="smtp.example.cn", EMAIL_USE_SSL="1")
    assert loaded["EMAIL_PORT"] == 465 and loaded["EMAIL_USE_TLS"] is False


def test_smtp_settings_reach_the_mail_connection(settings):
    from django.core.mail import get_connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "smtp.example.cn", 2525, True
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "filing", "s3cret"
    connection = get_connection()
    assert (connection.host, connection.port, connection.use_tls) == ("smtp.example.cn", 2525, True)
    assert (connection.username, connection.password) == ("filing", "s3cret")


def test_without_a_mail_host_mail_goes_to_the_console(monkeypatch):
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    assert _settings(monkeypatch)["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_persistent_connections_are_checked_before_reuse(monkeypatch):
    loaded = _settings(monkeypatch, CONN_MAX_AGE="60")
    assert loaded["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    assert loaded["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_by_postgresql_gives_no_500_on_the_next_request(client, world):
    """A persistent connection PostgreSQL closed (restart, idle timeout, pg_terminate_backend) is
    checked at the start of the worker's next request and reopened."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    import psycopg
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_started

    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    try:
        client.force_login(world.applicant)
        assert client.get("/applications/").status_code == 200
        pid = connection.connection.info.backend_pid
        params = connection.get_connection_params()
        with psycopg.connect(
            **{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port", "password")},
            autocommit=True,
        ) as killer:
            killer.execute("SELECT pg_terminate_backend(%s)", [pid])
        # What gunicorn's WSGIHandler does at the start of every request (the test client skips it).
        request_started.send(sender=WSGIHandler)
        response = client.get("/applications/")
        assert response.status_code == 200
        assert connection.connection.info.backend_pid != pid
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 0
        connection.settings_dict["CONN_HEALTH_CHECKS"] = False
        connection.close()


def test_production_static_files_have_hashed_names_and_compression(monkeypatch, tmp_path):
    loaded = _settings(monkeypatch, "settings_production", **PRODUCTION_ENV)
    backend = loaded["STORAGES"]["staticfiles"]["BACKEND"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    from django.core.management import call_command

    with override_settings(STATIC_ROOT=tmp_path, STORAGES={**loaded["STORAGES"]}):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.templatetags.static import static

        url = static("css/site.css")
    assert url.startswith("/static/css/site.") and url != "/static/css/site.css"
    name = url.removeprefix("/static/")
    assert (tmp_path / name).exists() and (tmp_path / f"{name}.gz").exists()
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    assert manifest["paths"]["css/site.css"] == name


# Error pages -------------------------------------------------------------------------------------


def test_404_page_is_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "Not Found" not in page


def test_403_page_is_chinese_with_the_reason(client, world):
    client.force_login(world.applicant)
    response = client.get(reverse("reviews:supervisor_queue"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权访问" in page and "403 Forbidden" not in page


def test_500_page_is_chinese_and_needs_no_context(client, settings):
    from django.template import loader

    page = loader.get_template("500.html").render()
    assert "系统暂时出错" in page and "Server Error" not in page
    assert "<style" not in page and " style=" not in page and "<script" not in page


# Logs and metrics --------------------------------------------------------------------------------


def test_json_logs_carry_the_request_id_and_the_user_id(rf, world):
    from django.http import HttpResponse
    from django.utils.functional import SimpleLazyObject

    from makerspace.core.logs import RequestIdMiddleware

    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("makerspace.probe")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def view(request):
        logger.info("用户尚未读取")
        request.user.pk  # noqa: B018 - the view reads its user, as AuthenticationMiddleware offers it
        logger.info("列表已打开")
        return HttpResponse("ok")

    request = rf.get("/applications/", HTTP_X_REQUEST_ID="req-12345678")
    request.user = SimpleLazyObject(lambda: world.applicant)
    try:
        response = RequestIdMiddleware(view)(request)
    finally:
        logger.removeHandler(handler)
    assert response["X-Request-ID"] == "req-12345678"
    before, after = (json.loads(JsonFormatter().format(r)) for r in records)
    assert before["user_id"] is None  # logging never loads the user itself
    assert after["message"] == "列表已打开"
    assert after["request_id"] == "req-12345678"
    assert after["user_id"] == world.applicant.pk
    assert after["level"] == "INFO" and after["time"].endswith("+00:00")


def test_a_forged_request_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline" and len(response["X-Request-ID"]) == 32


def test_json_log_format_is_a_setting(monkeypatch):
    loaded = _settings(monkeypatch, LOG_FORMAT="json")
    assert loaded["LOGGING"]["handlers"]["console"]["formatter"] == "json"


def test_metrics_count_requests_jobs_and_the_outbox(client, world):
    world.submitted()
    client.get("/public-lists-does-not-exist/")
    body = client.get("/metrics").content.decode()
    assert 'makerspace_http_requests_total{method="GET",status="404",view="-"}' in body
    assert "makerspace_http_request_duration_seconds_bucket" in body
    assert 'makerspace_outbox_messages{status="pending"} 1.0' in body
    assert 'makerspace_document_jobs{status="running"} 0.0' in body


def test_metrics_through_the_proxy_only_for_the_administrator(client, world, settings):
    proxied = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert client.get("/metrics", **proxied).status_code == 403
    client.force_login(world.applicant)
    assert client.get("/metrics", **proxied).status_code == 403
    client.force_login(world.admin)
    assert client.get("/metrics", **proxied).status_code == 200


def test_metrics_for_a_scraper_with_the_token(client, settings):
    settings.METRICS_TOKEN = "scrape-token-0123456789"
    elsewhere = {"REMOTE_ADDR": "10.0.0.9"}
    assert client.get("/metrics", **elsewhere).status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **elsewhere).status_code == 403
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789", **elsewhere)
    assert ok.status_code == 200


# Deployment checks -------------------------------------------------------------------------------


def test_deploy_check_warns_when_jobs_would_run_inside_requests(settings):
    from makerspace.core.checks import background_work_outside_requests

    settings.CELERY_BROKER_URL, settings.LOCAL_WORKER = "", False
    assert [w.id for w in background_work_outside_requests(None)] == ["makerspace.W001"]
    settings.LOCAL_WORKER = True
    assert background_work_outside_requests(None) == []
    settings.CELERY_BROKER_URL, settings.LOCAL_WORKER = "redis://redis:6379/0", False
    assert background_work_outside_requests(None) == []


def test_deploy_check_warns_when_several_servers_could_not_share_state(settings):
    from makerspace.core.checks import shared_state_for_several_servers

    settings.CELERY_BROKER_URL = "redis://redis:6379/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ids = [w.id for w in shared_state_for_several_servers(None)]
    assert "makerspace.W003" in ids
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x:6379/1"}
    }
    assert "makerspace.W003" not in [w.id for w in shared_state_for_several_servers(None)]
