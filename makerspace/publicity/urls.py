from django.urls import path

from . import views

app_name = "publicity"

urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("province/", views.province_home, name="province_home"),
    path("province/notices/<int:pk>/", views.province_notice, name="province_notice"),
    path("province/objections/<int:pk>/close/", views.objection_close, name="objection_close"),
    path("province/objections/<int:pk>/file/", views.objection_file, name="objection_file"),
]
