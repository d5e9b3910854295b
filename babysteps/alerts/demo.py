"""Demo alerts: the historical questionnaires (``measures/demo.py``) raised alerts for
totals in the highest band; each was acknowledged at the time, two hours after it was
raised, by the practitioner who recorded the questionnaire. The open EPDS item-10 alert at
Riverside (a safety item) stays open for the demo."""

from datetime import timedelta

from babysteps.alerts.models import Alert
from babysteps.alerts.services import alert_acknowledge
from babysteps.demo.registry import DemoContext, seeder

HISTORY_ACTION = (
    "Talked it through at the visit; with her consent the GP and health visitor were told "
    "the same day, and a follow-up call was booked."
)


@seeder(31, "alerts: historical alerts acknowledged at the time")
def seed(ctx: DemoContext) -> None:
    historical = Alert.objects.filter(
        reason=Alert.Reason.HIGHEST_BAND,
        acknowledged_at__isnull=True,
        administration__recorded_by__isnull=False,
    ).select_related("administration__recorded_by")
    for alert in historical.order_by("pk"):
        recorder = alert.administration.recorded_by
        if recorder is None:  # excluded by the query; for the type checker
            continue
        alert_acknowledge(
            alert=alert,
            acknowledged_by=recorder,
            action_taken=HISTORY_ACTION,
            now=alert.raised_at + timedelta(hours=2),
        )
