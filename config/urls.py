from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from makerspace.core.health import healthz, readyz
from makerspace.core.metrics import metrics

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("", include("makerspace.public.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("makerspace.accounts.urls")),
    path("security/", include("makerspace.security.urls")),
    path("workspace/", include("makerspace.core.urls")),
    path("applications/", include("makerspace.applications.urls")),
    path("review/", include("makerspace.reviews.urls")),
    path("inbox/", include("makerspace.notifications.urls")),
    path("audit/", include("makerspace.audit.urls")),
    path("documents/", include("makerspace.documents.urls")),
    path("credit/", include("makerspace.credit.urls")),
    path("scoring/", include("makerspace.scoring.urls")),
    path("publicity/", include("makerspace.publicity.urls")),
    path("filed/", include("makerspace.filed.urls")),
    path("stats/", include("makerspace.stats.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/", include("makerspace.applications.api")),
    path("admin/", admin.site.urls),
]
