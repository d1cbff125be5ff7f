"""Account pages: login, logout, password reset, invitations, two-factor. No tenant data here."""

from django.contrib.auth import views as auth_views
from django.urls import path

from backoffice.views import accounts

urlpatterns = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    # Logout only by POST (Django 5 refuses GET with 405): a link or an image cannot log anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", auth_views.PasswordResetView.as_view(
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt"), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invitation/<uidb64>/<token>/", accounts.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("2fa/", accounts.otp_verify, name="otp_verify"),
    path("2fa/setup/", accounts.otp_setup, name="otp_setup"),
]
