"""The system checks of `manage.py check`, and what a deployment needs beyond Django's own checks
(`check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Info, Warning, register

from .reference_data import PROVINCES


@register()
def site_province_is_a_province(app_configs, **kwargs):
    """A new batch takes SITE_PROVINCE as its province: a misspelt name would fail every form."""
    if settings.SITE_PROVINCE in PROVINCES:
        return []
    return [
        Error(
            f"SITE_PROVINCE“{settings.SITE_PROVINCE}”不是省级行政区的规范名称。",
            hint="应为 31 个省级行政区之一的全称，如“江苏省”“广西壮族自治区”“北京市”。",
            id="makerspace.E001",
        )
    ]


@register(deploy=True)
def background_work_outside_requests(app_configs, **kwargs):
    if settings.CELERY_BROKER_URL or settings.LOCAL_WORKER:
        return []
    return [
        Warning(
            "没有配置消息队列：邮件和文件生成任务将在网页请求中运行，生成大文件时请求可能超时。",
            hint="设置 CELERY_BROKER_URL（Redis）并启动 Celery worker 和 beat；"
            "单机部署可设置 LOCAL_WORKER=1 并运行 manage.py local_worker。",
            id="makerspace.W001",
        )
    ]


@register(deploy=True)
def shared_state_for_several_servers(app_configs, **kwargs):
    """Several app servers need the database, the cache and the files shared: a SQLite database or
    local media only works with one."""
    warnings = []
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # A single server on SQLite is a supported layout: said, not warned.
        warnings.append(
            Info(
                "数据库为 SQLite：只能运行一台应用服务器。",
                hint="多台应用服务器请设置 DATABASE_URL 指向 PostgreSQL。",
                id="makerspace.I002",
            )
        )
    if settings.CELERY_BROKER_URL and not getattr(settings, "CACHES", {}).get("default", {}).get(
        "BACKEND", ""
    ).endswith("RedisCache"):
        warnings.append(
            Warning(
                "缓存不是共享的 Redis：各应用服务器的频率限制计数互不相通。",
                hint="设置 DJANGO_CACHE_URL（如 redis://redis:6379/1）。",
                id="makerspace.W003",
            )
        )
    return warnings
