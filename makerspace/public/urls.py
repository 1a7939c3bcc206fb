from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("lists/", views.published_batches, name="lists"),
    path("lists/<int:batch_id>/", views.published_list, name="list_detail"),
]
