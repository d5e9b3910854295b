"""Referrals made from a safety alert before the two were linked by a foreign key kept
the alert's id in ``source_reference``. Used by the data migration that links them (and
by its test); takes the models as arguments so the migration can pass its historical
ones."""


def link_alert_referrals(SafeAndWellReferral, Alert) -> int:
    """Point each such referral at its alert, when that alert exists and is about the
    same family, and clear the reference the link replaces. Returns how many."""
    linked = 0
    candidates = SafeAndWellReferral.objects.filter(source="alert", alert__isnull=True)
    for referral in candidates.exclude(source_reference=""):
        reference = referral.source_reference.strip().lstrip("#")
        if not reference.isdigit():
            continue
        alert = Alert.objects.filter(pk=int(reference), family_id=referral.family_id).first()
        if alert is None:
            continue
        SafeAndWellReferral.objects.filter(pk=referral.pk).update(alert=alert, source_reference="")
        linked += 1
    return linked


def unlink_alert_referrals(SafeAndWellReferral) -> None:
    """The reverse: the alert's id back into ``source_reference``."""
    for referral in SafeAndWellReferral.objects.filter(alert__isnull=False):
        SafeAndWellReferral.objects.filter(pk=referral.pk).update(
            source_reference=str(referral.alert_id), alert=None
        )
