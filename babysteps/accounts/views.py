from django.contrib.auth import views as auth_views

from babysteps.accounts.forms import EmailAuthenticationForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot sign someone out."""
