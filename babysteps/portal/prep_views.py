"""Staff pages about the portal: a facilitator's preparation for a family's call (what
each parent watched, their questions) and sending a parent a sign-in link."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.audit.models import Action
from babysteps.families.access import family_for_user
from babysteps.families.models import Parent
from babysteps.notifications.models import Message
from babysteps.portal import selectors, services
from babysteps.portal.access import question_for_user

family_staff = staff_required(lambda roles: roles.sees_family_records)


@family_staff
def call_prep(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    family = family_for_user(request.user, family_id, reason="call preparation")
    prep = selectors.call_prep(
        family=family, component_code=request.GET.get("component"), now=timezone.now()
    )
    return TemplateResponse(
        request,
        "portal/call_prep.html",
        {
            "family": family,
            "prep": prep,
            "parents": list(family.parents.all()),
            "now": timezone.now(),
        },
    )


@family_staff
@require_POST
def question_discussed(
    request: AuthenticatedHttpRequest, family_id: int, question_id: int
) -> HttpResponse:
    family = family_for_user(request.user, family_id, action=Action.CHANGE)
    question = question_for_user(request.user, question_id, family=family)
    discussed = request.POST.get("discussed", "yes") != "no"
    services.question_mark_discussed(question=question, user=request.user, discussed=discussed)
    messages.success(
        request, "Marked as discussed." if discussed else "Marked as not discussed yet."
    )
    target = redirect("prep:family", family_id=family.pk)
    if question.component_id and request.POST.get("component"):
        target["Location"] += "?component=" + request.POST["component"][:8]
    return target


@family_staff
@require_POST
def send_sign_in_link(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    family = family_for_user(request.user, family_id, action=Action.CHANGE)
    role = request.POST.get("role", "")
    parent = next(
        (p for p in family.parents.all() if (p.role == Parent.Role.MOTHER) == (role == "mother")),
        None,
    )
    if parent is None or role not in ("mother", "partner"):
        messages.error(request, _("Choose the mother or the partner."))
        return redirect("families:detail", family_id=family.pk)
    try:
        message = services.sign_in_link_send(parent=parent, sent_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("families:detail", family_id=family.pk)
    if message.status == Message.Status.SKIPPED:
        messages.error(
            request,
            _(
                "The link could not be sent: the family allows no email or text message, or we "
                "have no address for this parent."
            ),
        )
    elif message.send_after > timezone.now():
        messages.success(
            request,
            _("A sign-in link will be sent at %(localtime)s, inside the family's safe times.")
            % {"localtime": f"{timezone.localtime(message.send_after):%H:%M on %d %b}"},
        )
    else:
        messages.success(request, _("A sign-in link has been sent."))
    return redirect("families:detail", family_id=family.pk)
