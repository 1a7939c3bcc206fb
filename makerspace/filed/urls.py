from django.urls import path

from . import views, views_evaluation, views_management

app_name = "filed"

urlpatterns = [
    path("", views.space_list, name="space_list"),
    path("spaces/<int:pk>/", views.space_detail, name="space_detail"),
    path("spaces/<int:pk>/end/", views.space_end, name="space_end"),
    path("spaces/<int:pk>/exit/", views.space_exit, name="space_exit"),
    path(
        "spaces/<int:pk>/proposals/<int:proposal_id>/decide/", views.proposal_decide, name="proposal_decide"
    ),
    path("spaces/<int:pk>/changes/new/", views_management.change_request_create, name="change_create"),
    path("changes/<int:pk>/decide/", views_management.change_request_decide, name="change_decide"),
    path("spaces/<int:pk>/spot-checks/new/", views_management.spot_check_create, name="spot_check_create"),
    path(
        "rectifications/<int:pk>/complete/",
        views_management.rectification_complete,
        name="rectification_complete",
    ),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("reports/", views.my_reports, name="my_reports"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/sign/", views.report_sign, name="report_sign"),
    path("reports/<int:pk>/sealed/", views.report_upload, name="report_upload"),
    path("reports/<int:pk>/sealed/file/", views.report_sealed, name="report_sealed"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/document.<str:fmt>", views.report_document, name="report_document"),
    path("rounds/<int:pk>/figures.xlsx", views.round_export, name="round_export"),
    path("results/<int:pk>/document.<str:fmt>", views.evaluation_document, name="evaluation_document"),
    path("reports/<int:pk>/<str:name>/", views.report_decide, name="report_decide"),
    path("evaluations/", views_evaluation.evaluation_list, name="evaluation_list"),
    path("evaluations/new/", views_evaluation.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", views_evaluation.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/weights/", views_evaluation.indicator_weights, name="indicator_weights"),
    path("evaluations/<int:pk>/results/", views_evaluation.evaluation_results, name="evaluation_results"),
    path("evaluations/<int:pk>/<str:name>/", views_evaluation.evaluation_action, name="evaluation_action"),
    path("scoring/", views_evaluation.expert_home, name="expert_home"),
    path("scoring/<int:pk>/", views_evaluation.expert_score, name="expert_score"),
    path(
        "spaces/<int:pk>/evaluations/<int:evaluation_id>/appeal/",
        views_evaluation.appeal_file,
        name="appeal_file",
    ),
    path("appeals/<int:pk>/decide/", views_evaluation.appeal_decide, name="appeal_decide"),
]
