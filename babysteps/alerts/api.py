"""Safety alerts in the JSON API: the same scope and audit as the pages."""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.alerts.access import alert_for_user, alerts_for_user
from babysteps.alerts.models import Alert
from babysteps.alerts.selectors import with_details
from babysteps.alerts.services import alert_acknowledge
from babysteps.api.common import page_of, responses
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record

router = Router()


class AlertOut(Schema):
    id: int
    family: int
    site: int
    parent_role: str
    administration: int
    instrument: str
    reason: str
    detail: str
    raised_at: datetime
    escalation: str
    escalate_at: datetime
    escalated_at: datetime | None
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    action_taken: str


class AlertPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[AlertOut]


class AcknowledgeIn(Schema):
    # Checked by the service (after the alert is found), so an unknown alert is a 404
    # whatever the body says.
    action_taken: str = Field("", max_length=2000)


def _out(alert: Alert) -> dict[str, object]:
    return {
        "id": alert.pk,
        "family": alert.family_id,
        "site": alert.site_id,
        "parent_role": alert.parent_role,
        "administration": alert.administration_id,
        "instrument": alert.administration.instrument.code,
        "reason": alert.reason,
        "detail": alert.detail,
        "raised_at": alert.raised_at,
        "escalation": alert.escalation,
        "escalate_at": alert.escalate_at,
        "escalated_at": alert.escalated_at,
        "acknowledged_by": alert.acknowledged_by.full_name if alert.acknowledged_by else None,
        "acknowledged_at": alert.acknowledged_at,
        "action_taken": alert.action_taken,
    }


@router.get("", response=responses(200, AlertPage), summary="Alerts about families you can see")
def list_alerts(
    request: AuthenticatedHttpRequest,
    state: Literal["open", "acknowledged", "all"] = "open",
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(25, ge=1, le=100),
) -> dict[str, object]:
    alerts = alerts_for_user(request.user)
    if state != "all":
        alerts = alerts.filter(acknowledged_at__isnull=state == "open")
    count, items = page_of(
        with_details(alerts).order_by("-raised_at", "-pk"), page=page, page_size=page_size
    )
    audit_record(
        actor=request.user,
        action=Action.LIST,
        object_type="alert",
        reason="API list",
        detail={"alert_ids": [a.pk for a in items]},
    )
    return {"count": count, "page": page, "page_size": page_size, "items": [_out(a) for a in items]}


@router.get("/{alert_id}", response=responses(200, AlertOut, extra=(404,)), summary="One alert")
def get_alert(request: AuthenticatedHttpRequest, alert_id: int) -> dict[str, object]:
    return _out(alert_for_user(request.user, alert_id, reason="API alert"))


@router.patch(
    "/{alert_id}",
    response=responses(200, AlertOut, extra=(404,)),
    summary="Acknowledge an alert, recording the action taken",
)
def acknowledge_alert(
    request: AuthenticatedHttpRequest, alert_id: int, payload: AcknowledgeIn
) -> dict[str, object]:
    alert = alert_for_user(request.user, alert_id, action=Action.CHANGE)
    alert = alert_acknowledge(
        alert=alert, acknowledged_by=request.user, action_taken=payload.action_taken
    )
    return _out(alert_for_user(request.user, alert.pk, action=Action.CHANGE))
