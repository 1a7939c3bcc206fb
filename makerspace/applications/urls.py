from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_start, name="start"),
    path("spaces/new/", views.space_create, name="space_create"),
    path("spaces/<int:space_id>/edit/", views.space_edit, name="space_edit"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/settings/", views.application_settings, name="settings"),
    path("<int:pk>/basic/<slug:section>/", views.basic_section, name="basic"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/autosave/<str:section>/", views.autosave, name="autosave"),
    path("<int:pk>/cases/", views.cases, name="cases"),
    path("<int:pk>/cases/<int:case_id>/", views.cases, name="case_edit"),
    path("<int:pk>/cases/<int:case_id>/delete/", views.case_delete, name="case_delete"),
    path("<int:pk>/files/", views.files, name="files"),
    path("<int:pk>/files/<int:attachment_id>/", views.file_download, name="file_download"),
    path("<int:pk>/files/<int:attachment_id>/remove/", views.file_remove, name="file_remove"),
    path("<int:pk>/commitment/", views.commitment, name="commitment"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
]
