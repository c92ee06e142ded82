"""The account pages that differ from django.contrib.auth's: included before its URLs."""

from django.urls import path

from .views import registration

urlpatterns = [
    path("login/", registration.LoginView.as_view(), name="login"),
    path("password_reset/", registration.PasswordResetView.as_view(), name="password_reset"),
]
