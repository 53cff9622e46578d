"""Included at "staff/" before the portal; the workbench adds its own "staff/" include, so
only these paths belong here."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.StaffLogoutView.as_view(), name="logout"),
    path("password/", views.StaffPasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.StaffPasswordChangeDoneView.as_view(), name="password_change_done"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path("account/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
]
