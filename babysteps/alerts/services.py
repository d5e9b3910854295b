"""Raising and acknowledging safety alerts (escalation: ``escalation.py``).

An alert is raised inside the transaction that stores the answers (``alerts_raise`` is
called by ``measures.services.administration_submit``), so answers that trip a safety item
can never be stored without their alert. Staff are told by email through the task queue;
the email says only that there is an alert and links to it (the page checks access and
audits the read). Escalation is a conditional update that only one worker can win, so it
happens once however many workers or sweeps run.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.accounts.selectors import site_managers
from babysteps.alerts.links import alert_link
from babysteps.alerts.models import Alert
from babysteps.alerts.tasks import escalate_alert
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object, audit_record
from babysteps.cohorts.models import CohortFacilitator
from babysteps.core.tasks import enqueue_at
from babysteps.core.working_time import add_working_hours
from babysteps.measures.models import Administration
from babysteps.measures.scoring import Score
from babysteps.notifications.services import message_to_staff, messages_cancel

MIN_ACTION_LENGTH = 10


def alert_recipients(*, alert: Alert) -> list[User]:
    """The facilitators of the cohort the questionnaire belongs to, and the site's
    managers (active accounts only), each once."""
    users: dict[int, User] = {}
    cohort_id = alert.administration.cohort_id
    if cohort_id is not None:
        links = CohortFacilitator.objects.filter(cohort_id=cohort_id, user__is_active=True)
        for link in links.select_related("user"):
            users[link.user.pk] = link.user
    for user in site_managers(site_id=alert.site_id):
        users[user.pk] = user
    return sorted(users.values(), key=lambda u: u.pk)


def _reasons(administration: Administration, score: Score) -> list[tuple[str, str]]:
    spec = administration.instrument.spec
    reasons: list[tuple[str, str]] = []
    if score.safety_flag:
        named = ", ".join(
            f"item {s.item} ({s.label.lower()})"
            for s in spec.safety_items
            if s.item in score.safety_items_tripped
        )
        reasons.append((Alert.Reason.SAFETY_ITEM, f"{spec.short_name} {named} above 0"))
    if score.highest_band_alert:
        reasons.append((Alert.Reason.HIGHEST_BAND, f"{spec.short_name} total in the highest band"))
    return reasons


def escalation_due(*, raised_at: datetime, nation: str) -> datetime:
    local = timezone.localtime(raised_at)
    return add_working_hours(local, settings.ALERT_ESCALATION_WORKING_HOURS, nation)


@transaction.atomic
def alerts_raise(
    *,
    administration: Administration,
    score: Score,
    actor: User | None,
    actor_label: str = "",
    now: datetime | None = None,
) -> list[Alert]:
    """Raise the alerts these scores call for (none, one or two), notify the family's
    facilitators and site manager, and schedule the escalation. Idempotent per reason."""
    moment = now or timezone.now()
    raised = []
    family = administration.family
    for reason, detail in _reasons(administration, score):
        if Alert.objects.filter(administration=administration, reason=reason).exists():
            continue
        alert = Alert.objects.create(
            family=family,
            site_id=family.site_id,
            parent=administration.parent,
            parent_role=administration.respondent_role,
            administration=administration,
            reason=reason,
            detail=detail[:200],
            raised_at=moment,
            escalate_at=escalation_due(raised_at=moment, nation=family.site.nation),
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action=Action.CREATE,
            object_type="alert",
            object_id=alert.pk,
            family_id=family.pk,
            site_id=family.site_id,
            detail={"reason": reason, "administration": administration.pk},
        )
        for user in alert_recipients(alert=alert):
            message_to_staff(
                user=user,
                key=f"alert:{alert.pk}:raised:{user.pk}",
                subject="Baby Steps: a safety alert needs acknowledging",
                body=(
                    "A questionnaire answer has raised a safety alert for a family you work "
                    "with. Please open it, act, and record what you did:\n\n"
                    f"{alert_link(alert)}\n\nThis email deliberately carries no family details."
                ),
                group=f"alert:{alert.pk}",
                urgent_text=f"Baby Steps: a safety alert needs acknowledging. {alert_link(alert)}",
            )
        enqueue_at(escalate_alert, alert.escalate_at, alert.pk)
        raised.append(alert)
    return raised


@transaction.atomic
def alert_acknowledge(
    *, alert: Alert, acknowledged_by: User, action_taken: str, now: datetime | None = None
) -> Alert:
    """A named practitioner records the action taken; the alert leaves the home pages and
    pending notifications about it are cancelled."""
    action = " ".join(action_taken.split())
    if len(action) < MIN_ACTION_LENGTH:
        raise ValidationError(
            {
                "action_taken": _(
                    "Say what you did (at least a short sentence), e.g. who you called."
                )
            }
        )
    if len(action) > 2000:
        raise ValidationError({"action_taken": _("Keep it under 2000 characters.")})
    moment = now or timezone.now()
    updated = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=moment,
        acknowledged_by=acknowledged_by,
        action_taken=action,
    )
    if not updated:
        raise ValidationError({"action_taken": _("This alert has already been acknowledged.")})
    Alert.objects.filter(pk=alert.pk, escalation=Alert.Escalation.WAITING).update(
        escalation=Alert.Escalation.NOT_NEEDED
    )
    messages_cancel(group=f"alert:{alert.pk}", reason="The alert was acknowledged.")
    alert.refresh_from_db()
    audit_object(
        actor=acknowledged_by,
        action=Action.ACKNOWLEDGE,
        obj=alert,
        family_id=alert.family_id,
        site_id=alert.site_id,
        detail={"fields": ["acknowledged_by", "acknowledged_at", "action_taken"]},
    )
    return alert


def alerts_close_entered_in_error(
    *, administration: Administration, voided_by: User, reason: str, now: datetime
) -> None:
    """Registered with measures: a voided questionnaire's open alerts are closed as
    entered in error, with the reason as the action (never deleted); pending
    notifications about them are cancelled. Alerts already acknowledged keep their
    action and are marked entered in error too."""
    for alert in Alert.objects.select_for_update().filter(administration=administration):
        fields = ["entered_in_error"]
        alert.entered_in_error = True
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by = now, voided_by
            alert.action_taken = _("Entered in error: %(reason)s") % {"reason": reason}
            fields += ["acknowledged_at", "acknowledged_by", "action_taken"]
            if alert.escalation == Alert.Escalation.WAITING:
                alert.escalation = Alert.Escalation.NOT_NEEDED
                fields.append("escalation")
        alert.save(update_fields=fields)
        messages_cancel(group=f"alert:{alert.pk}", reason="The questionnaire was voided.")
        audit_object(
            actor=voided_by,
            action=Action.CHANGE,
            obj=alert,
            family_id=alert.family_id,
            site_id=alert.site_id,
            detail={"fields": fields, "entered_in_error": True},
        )
