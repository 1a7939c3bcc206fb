"""Production settings: the same module as development, read from the environment, with HTTPS
(secure cookies, HSTS, SSL redirect) forced on, DEBUG forced off and a real secret key required.

    DJANGO_SETTINGS_MODULE=config.settings_production DJANGO_SECRET_KEY=... \\
    DJANGO_ALLOWED_HOSTS=filing.example.cn python manage.py check --deploy
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ["DJANGO_SECURE"] = "1"
os.environ["DJANGO_DEBUG"] = "0"

from .settings import *  # noqa: F403
from .settings import SECRET_KEY

if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("生产环境须通过 DJANGO_SECRET_KEY 设置至少50个字符的随机密钥。")
