from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("supervisor/", views.supervisor_queue, name="supervisor_queue"),
    path("supervisor/<int:pk>/", views.supervisor_detail, name="supervisor_detail"),
    path("supervisor/<int:pk>/commitment/", views.supervisor_commitment, name="supervisor_commitment"),
    path("supervisor/<int:pk>/forward/", views.supervisor_forward, name="supervisor_forward"),
    path("applications/<int:pk>/return/", views.application_return, name="return"),
    path("applications/<int:pk>/files/<int:attachment_id>/", views.open_attachment, name="open_attachment"),
    path("applications/<int:pk>/forms/<slug:kind>.pdf", views.open_form, name="open_form"),
    path("letters/<int:submission_id>/", views.open_letter, name="open_letter"),
    path("applications/<int:pk>/review/", views.review, name="review"),
    path("applications/<int:pk>/review/decide/", views.review_decide, name="review_decide"),
    path("batches/<int:batch_id>/pledge/", views.pledge, name="pledge"),
    path("applications/<int:pk>/conflict/", views.conflict_declare, name="conflict_declare"),
    path("province/batches/<int:batch_id>/pledges/", views.pledges, name="pledges"),
    path("recommender/", views.recommender_queue, name="recommender_queue"),
    path("recommender/batches/<int:batch_id>/", views.recommender_batch, name="recommender_batch"),
    path("recommender/batches/<int:batch_id>/ranks/", views.recommender_ranks, name="recommender_ranks"),
    path("recommender/batches/<int:batch_id>/letter/", views.recommender_letter, name="recommender_letter"),
    path("recommender/batches/<int:batch_id>/submit/", views.recommender_submit, name="recommender_submit"),
    path("acceptance/", views.acceptance_queue, name="acceptance_queue"),
    path(
        "acceptance/submissions/<int:submission_id>/",
        views.acceptance_submission,
        name="acceptance_submission",
    ),
    path("acceptance/<int:pk>/check/", views.acceptance_check, name="acceptance_check"),
    path("acceptance/<int:pk>/paper/", views.acceptance_paper, name="acceptance_paper"),
    path("acceptance/<int:pk>/receive/", views.acceptance_receive, name="acceptance_receive"),
    path("province/", views.province_queue, name="province_queue"),
    path("province/batches/<int:batch_id>/", views.province_batch, name="province_batch"),
    path("province/batches/<int:batch_id>/ranks/", views.province_ranks, name="province_ranks"),
    path("province/batches/<int:batch_id>/deadlines/", views.province_deadlines, name="province_deadlines"),
    path("province/<int:pk>/select/", views.province_select, name="province_select"),
    path("province/<int:pk>/not-select/", views.province_not_select, name="province_not_select"),
    path("ministry/", views.ministry_queue, name="ministry_queue"),
    path("ministry/batches/<int:batch_id>/", views.ministry_batch, name="ministry_batch"),
    path("ministry/batches/<int:batch_id>/publish/", views.ministry_publish, name="ministry_publish"),
    path("ministry/<int:pk>/file/", views.ministry_file, name="ministry_file"),
    path("ministry/<int:pk>/not-file/", views.ministry_not_file, name="ministry_not_file"),
]
