from django.urls import path

from makerspace.documents import views as document_views

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("lists/", views.published_batches, name="lists"),
    path("lists/<int:batch_id>/", views.published_list, name="list_detail"),
    path("forms/", document_views.blank_forms, name="blank_forms"),
    path("notice/", views.notice, name="notice"),
]
