"""Questions and worries parents send ahead of a call, and marking them discussed."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.cohorts.models import CohortFacilitator
from babysteps.families.models import Parent
from babysteps.notifications.services import message_to_staff
from babysteps.portal.challenges import parent_label
from babysteps.portal.models import ParentQuestion
from babysteps.videos.touchpoints import current_enrolment, next_touchpoint

MAX_QUESTION_CHARS = 2000


@transaction.atomic
def question_ask(
    *,
    parent: Parent,
    text: str,
    call_me_soon: bool = False,
    submission_key: str = "",
    now: datetime | None = None,
) -> ParentQuestion:
    """A parent sends a question or worry for their next call. Sending the same form
    twice (a double tap, a resend) records it once. "Please call me about this soon"
    tells the family's facilitators at once, without the question itself."""
    moment = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what you would like to talk about.")})
    if len(text) > MAX_QUESTION_CHARS:
        raise ValidationError(
            {
                "text": _("Please keep it under %(limit)s characters (it is %(length)s).")
                % {"limit": MAX_QUESTION_CHARS, "length": len(text)}
            }
        )
    key = (submission_key or "")[:40]
    if key:
        existing = ParentQuestion.objects.filter(parent=parent, submission_key=key).first()
        if existing is not None:
            return existing
    family = parent.family
    touchpoint = next_touchpoint(family, now=moment)
    question = ParentQuestion.objects.create(
        family=family,
        parent=parent,
        text=text,
        call_me_soon=bool(call_me_soon),
        submission_key=key,
        component=touchpoint.component if touchpoint else None,
        touchpoint_at=touchpoint.starts_at if touchpoint else None,
    )
    audit_record(
        actor=None,
        actor_label=parent_label(parent),
        action=Action.CREATE,
        object_type="parentquestion",
        object_id=question.pk,
        family_id=family.pk,
        site_id=family.site_id,
        detail={"call_me_soon": question.call_me_soon},
    )
    if question.call_me_soon:
        _tell_facilitators(question)
    return question


def _tell_facilitators(question: ParentQuestion) -> None:
    enrolment = current_enrolment(question.family)
    if enrolment is None:
        return
    link = settings.SITE_URL + reverse("prep:family", args=[question.family_id])
    links = CohortFacilitator.objects.filter(cohort_id=enrolment.cohort_id).select_related("user")
    for row in links:
        if not row.user.is_active:
            continue
        message_to_staff(
            user=row.user,
            key=f"portal:call-me-soon:{question.pk}:{row.user_id}",
            subject="Baby Steps: a parent asked to be called soon",
            # No names or question text in staff email: the page checks access and audits.
            body=f"A parent in one of your cohorts asked to be called soon.\n\n{link}\n",
        )


@transaction.atomic
def question_mark_discussed(
    *, question: ParentQuestion, user: User, discussed: bool = True, now: datetime | None = None
) -> ParentQuestion:
    """Record that the question was talked about in the call (who and when), or undo it."""
    if discussed:
        question.discussed_at = question.discussed_at or now or timezone.now()
        question.discussed_by = question.discussed_by or user
    else:
        question.discussed_at = None
        question.discussed_by = None
    question.save(update_fields=["discussed_at", "discussed_by"])
    audit_record(
        actor=user,
        action=Action.CHANGE,
        object_type="parentquestion",
        object_id=question.pk,
        family_id=question.family_id,
        site_id=question.family.site_id,
        detail={"fields": ["discussed_at", "discussed_by"]},
    )
    return question
