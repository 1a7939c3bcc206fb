from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("", views.register, name="register"),
    path("add/", views.record_add, name="record_add"),
    path("records/<int:pk>/", views.record, name="record"),
    path("records/<int:pk>/end/", views.record_end, name="record_end"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("export.<str:fmt>", views.export, name="export"),
    path("applications/<int:pk>/disqualify/", views.disqualify, name="disqualify"),
    path("applications/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("review-quality/", views.review_quality_report, name="review_quality"),
]
