from django.contrib.auth import views as auth_views
from django.urls import path

from .views import account

app_name = "accounts"
urlpatterns = [
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", account.PasswordChangeView.as_view(), name="password_change"),
    path("password/forgotten/", account.PasswordResetView.as_view(), name="password_reset"),
    path("password/forgotten/sent/", account.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", account.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/done/", account.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
