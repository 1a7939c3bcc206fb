from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from makerspace.security.auth import recent_auth_required
from makerspace.security.forms import LoginForm

from . import views

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/confirm/<str:token>/", views.register_confirm, name="register_confirm"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("supervisor-requests/", views.supervisor_requests, name="supervisor_requests"),
    path(
        "supervisor-requests/<int:pk>/<slug:action>/",
        views.supervisor_request_resolve,
        name="supervisor_request_resolve",
    ),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        recent_auth_required(
            views.NotifiedPasswordChangeView.as_view(
                template_name="accounts/form_page.html",
                success_url=reverse_lazy("accounts:password_change_done"),
                extra_context={"title": _("修改密码")},
            )
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={"title": _("密码已修改"), "body": _("您的密码已修改。")},
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        views.RateLimitedPasswordResetView.as_view(
            template_name="accounts/form_page.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_context={
                "title": _("找回密码"),
                "intro": _("请输入注册时填写的 Email，我们将发送重设密码的链接。"),
            },
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "title": _("邮件已发送"),
                "body": _("如该 Email 已注册，您将收到重设密码的链接，请查收。"),
            },
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.NotifiedPasswordResetConfirmView.as_view(
            template_name="accounts/form_page.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
            extra_context={"title": _("设置新密码")},
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message.html",
            extra_context={"title": _("密码已重设"), "body": _("密码已重设，请使用新密码登录。")},
        ),
        name="password_reset_complete",
    ),
]
