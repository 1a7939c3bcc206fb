"""The address people reach the system at (settings.SITE_URL), for links that leave the page: QR
codes and verification links printed on paper, links in e-mails. A request's own host is never
used: documents are built in background jobs and commands too, and are stored and reused."""

from django.conf import settings


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
