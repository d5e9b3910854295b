from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from babysteps.accounts.forms import EmailAuthenticationForm, StaffDetailsForm
from babysteps.accounts.services import staff_details_update
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.forms import add_service_errors


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot sign someone out."""


@login_required
@require_http_methods(["GET", "POST"])
def your_details(request: HttpRequest) -> HttpResponse:
    """A member of staff's own details: the work mobile for urgent alerts, and a link to
    change their password."""
    form = StaffDetailsForm(request.POST or None, initial={"work_mobile": request.user.work_mobile})
    if request.method == "POST" and form.is_valid():
        try:
            changed = staff_details_update(
                user=request.user, work_mobile=form.cleaned_data["work_mobile"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved." if changed else "Nothing has changed.")
            return redirect("accounts:details")
    return TemplateResponse(
        request,
        "accounts/details.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own (checks the old password and the password validators, keeps this
    session signed in); the change is audited."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:details")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            actor=self.request.user,
            action=Action.CHANGE,
            object_type="user",
            object_id=self.request.user.pk,
            detail={"fields": ["password"]},
        )
        messages.success(self.request, "Your password has been changed.")
        return response
