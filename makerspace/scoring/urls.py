from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.expert_home, name="expert_home"),
    path("profile/", views.expert_profile, name="expert_profile"),
    path("profile/conflicts/", views.conflict_declare, name="conflict_declare"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("assignments/<int:pk>/submit/", views.assignment_submit, name="assignment_submit"),
    path("assignments/<int:pk>/files/<int:attachment_id>/", views.assignment_file, name="assignment_file"),
    path("province/", views.province_home, name="province_home"),
    path("province/experts/invite/", views.expert_invite, name="expert_invite"),
    path("province/batches/<int:batch_id>/", views.province_batch, name="province_batch"),
    path("province/batches/<int:batch_id>/weights/", views.weights, name="weights"),
    path("province/batches/<int:batch_id>/auto-assign/", views.auto_assign, name="auto_assign"),
    path("province/batches/<int:batch_id>/assign/", views.assign, name="assign"),
    path("province/assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
]
