from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("", views.two_factor, name="two_factor"),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("2fa/setup/qr.svg", views.otp_qr, name="otp_qr"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("2fa/disable/", views.otp_disable, name="otp_disable"),
    path("reauth/", views.reauth, name="reauth"),
    path("password-check/", views.password_check, name="password_check"),
    path("email/", views.email_change, name="email_change"),
    path("email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
]
