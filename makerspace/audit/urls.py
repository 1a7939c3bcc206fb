from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("applications/<int:pk>/", views.application_history, name="application_history"),
    path("chain/", views.chain_status, name="chain"),
]
