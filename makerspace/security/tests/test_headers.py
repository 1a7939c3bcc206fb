"""Browser rules: the Content-Security-Policy allows no inline script or style, the templates
need none, and a production configuration passes `manage.py check --deploy`."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_every_page_carries_the_strict_policy(client):
    policy = _policy(client.get("/"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in " ".join(policy.values())
    assert "unsafe-eval" not in " ".join(policy.values())


def test_framing_sniffing_and_referrer_are_denied(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_htmx_is_told_not_to_inject_its_indicator_style(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false,"allowEval":false}\'>' in html
    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.js"', html)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def _templates():
    roots = [BASE / "templates", *sorted((BASE / "makerspace").glob("*/templates"))]
    return [p for root in roots for p in root.rglob("*.html")]


def test_no_template_has_inline_script_style_or_event_handlers():
    offenders = []
    for path in _templates():
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER, JS_URL):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(BASE)}: {pattern.search(text).group(0)}")
    assert not offenders, offenders
    assert len(_templates()) > 10


def test_no_template_marks_user_text_safe():
    """Only developer-written help texts may be rendered unescaped."""
    offenders = [
        f"{path.relative_to(BASE)}: {match}"
        for path in _templates()
        for match in re.findall(r"\{\{[^}]*\|\s*safe[^}]*\}\}", path.read_text())
        if "help_text" not in match
    ]
    assert not offenders, offenders


@pytest.mark.parametrize("path", ["/media/upload", "/media/attachments/2026/x.pdf", "/var/media/upload"])
def test_uploaded_files_have_no_public_url(client, path):
    assert client.get(path).status_code == 404


def test_check_deploy_passes_with_the_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "filing.example.cn",
        "SITE_URL": "https://filing.example.cn",
        "VAR_DIR": str(tmp_path),
        # the layout of docs/deployment.md (check --deploy connects to none of them)
        "DATABASE_URL": "postgres://makerspace@db.internal:5432/makerspace",
        "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
        "DJANGO_CACHE_URL": "redis://redis.internal:6379/1",
    }
    env.pop("DJANGO_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_the_development_secret(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_production", "VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_turn_on_https_rules(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.DEBUG, s.AXES_ENABLED, len(s.OTP_REQUIRED_ROLES))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_DEBUG": "1",
        "SITE_URL": "https://filing.example.cn",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["True", "True", "True", "31536000", "False", "True", "7"], result.stderr
