"""Production settings: the same module as development, read from the environment, with HTTPS
(secure cookies, HSTS, SSL redirect) forced on, DEBUG forced off and a real secret key required.

    DJANGO_SETTINGS_MODULE=config.settings_production DJANGO_SECRET_KEY=... \\
    DJANGO_ALLOWED_HOSTS=filing.example.cn SITE_URL=https://filing.example.cn \\
    python manage.py check --deploy
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ["DJANGO_SECURE"] = "1"
os.environ["DJANGO_DEBUG"] = "0"
# Persistent database connections, health-checked before each request reuses one: opening one per
# request costs about 2 ms of CPU and 10 ms of wall time. CONN_MAX_AGE=0 turns them off (behind
# PgBouncer in transaction mode).
if not (os.environ.get("CONN_MAX_AGE") or os.environ.get("DB_CONN_MAX_AGE")):
    os.environ["CONN_MAX_AGE"] = "60"

from .settings import *  # noqa: F403
from .settings import SECRET_KEY, SITE_URL

if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("生产环境须通过 DJANGO_SECRET_KEY 设置至少50个字符的随机密钥。")

# Every QR code and verification link printed on an issued document is built on SITE_URL, and an
# issued document is stored and reused: a wrong address would be permanent.
_site = os.environ.get("SITE_URL", "")
if not _site.startswith("https://") or any(h in SITE_URL for h in ("127.0.0.1", "localhost", "[::1]")):
    raise ImproperlyConfigured(
        "生产环境须通过 SITE_URL 设置系统的 https 访问地址（如 https://filing.example.cn），"
        "二维码、核验链接和邮件链接均以此生成。"
    )

# Static files with content-hashed names (cached for ever) and gzip/brotli copies, served by
# whitenoise; `collectstatic` writes them on every release.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405
