from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [path("", views.home, name="home")]
for _name in ("batch", "jurisdiction", "progress", "filed", "public", "trends"):
    urlpatterns += [
        path(f"{_name}/", views.dashboard, {"name": _name}, name=_name),
        path(f"{_name}/xlsx/", views.download, {"name": _name}, name=f"{_name}_xlsx"),
    ]
