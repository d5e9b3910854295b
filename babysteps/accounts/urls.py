from django.urls import path

from babysteps.accounts import second_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("two-factor/", second_factor_views.second_factor, name="second_factor"),
    path("two-factor/setup/", second_factor_views.second_factor_setup, name="second_factor_setup"),
    path(
        "two-factor/recovery-codes/",
        second_factor_views.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path(
        "staff/<int:user_id>/second-factor/reset/",
        second_factor_views.second_factor_reset,
        name="second_factor_reset",
    ),
    path("your-details/", views.your_details, name="details"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
