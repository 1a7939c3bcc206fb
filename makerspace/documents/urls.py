from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.hub, name="hub"),
    path(
        "applications/<int:pk>/<slug:kind>.<slug:fmt>",
        views.application_document,
        name="application_document",
    ),
    path("applications/<int:pk>/package/", views.package_build, name="package_build"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path(
        "letters/units/<int:unit_id>/batches/<int:batch_id>.<slug:fmt>",
        views.recommendation_letter,
        name="recommendation_letter",
    ),
    path("letters/batches/<int:batch_id>.<slug:fmt>", views.province_letter, name="province_letter"),
    path("dossiers/units/<int:unit_id>/batches/<int:batch_id>/", views.unit_dossier, name="unit_dossier"),
    path("dossiers/batches/<int:batch_id>/", views.batch_dossier, name="batch_dossier"),
    path("summary.xlsx", views.export_summary, name="export_summary"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("verify/", views.verify_index, name="verify_index"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("blank/<int:number>.docx", views.blank_form, name="blank_form"),
]
