"""The checks of a new referral: who and why, the parent's consent (or the reason to go
ahead without it), how to reach the parent safely, and where it came from. Every problem is
collected and raised at once, by field."""

from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from babysteps.alerts.models import Alert
from babysteps.core.phones import InvalidPhoneNumber, uk_phone
from babysteps.families.models import Family, Parent
from babysteps.safeguarding.models import ReferralReason, SafeAndWellReferral, Urgency
from babysteps.safeguarding.services._common import check_length, text

# Consent to signpost is asked for at the time: an old "yes" is asked again.
CONSENT_MAX_AGE_DAYS = 30


@sensitive_variables()
def validate_referral(
    *,
    family: Family,
    parents: list[Parent],
    reasons: list[ReferralReason],
    summary: str,
    urgency: str,
    consent_basis: str,
    consent_given_by: str,
    consent_given_on: date | None,
    consent_method: str,
    no_consent_reason: str,
    safe_number: str,
    safe_call_from: time | None,
    safe_call_to: time | None,
    safe_times_notes: str,
    language: str,
    source: str,
    source_reference: str,
    alert: Alert | None,
    acknowledge_alert: bool,
    today: date,
) -> dict[str, object]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, object] = {}
    if not parents:
        errors.setdefault("parents", []).append(_("Choose the parent or parents concerned."))
    elif any(p.family_id != family.pk for p in parents):
        errors.setdefault("parents", []).append(_("Choose parents of this family."))
    if not reasons:
        errors.setdefault("reasons", []).append(_("Choose at least one reason."))
    elif any(not r.active for r in reasons):
        errors.setdefault("reasons", []).append(_("That reason is no longer offered."))
    clean["summary"] = text(summary)
    if not clean["summary"]:
        errors.setdefault("summary", []).append(
            _("Describe the concern, so the practitioner knows what to ask about.")
        )
    check_length(errors, "summary", clean["summary"], 4000)
    if urgency not in Urgency.values:
        errors.setdefault("urgency", []).append(_("Choose how urgent this is."))
    clean["source_reference"] = text(source_reference)
    check_length(errors, "source_reference", clean["source_reference"], 40)
    _validate_source(errors, clean, family, source, alert, acknowledge_alert)

    _validate_consent(
        errors,
        clean,
        parents=parents,
        consent_basis=consent_basis,
        consent_given_by=consent_given_by,
        consent_given_on=consent_given_on,
        consent_method=consent_method,
        no_consent_reason=no_consent_reason,
        today=today,
    )
    _validate_reaching(
        errors,
        clean,
        safe_number=safe_number,
        safe_call_from=safe_call_from,
        safe_call_to=safe_call_to,
        safe_times_notes=safe_times_notes,
        language=language,
    )
    if SafeAndWellReferral.objects.filter(
        family=family, status__in=SafeAndWellReferral.OPEN_STATUSES
    ).exists():
        errors.setdefault("__all__", []).append(
            _("This family already has an open safe-and-well referral: see the family's page.")
        )
    if errors:
        raise ValidationError(errors)
    return clean


@sensitive_variables()
def _validate_consent(
    errors: dict[str, list[str]],
    clean: dict[str, object],
    *,
    parents: list[Parent],
    consent_basis: str,
    consent_given_by: str,
    consent_given_on: date | None,
    consent_method: str,
    no_consent_reason: str,
    today: date,
) -> None:
    """The parent's consent (who, when, how), or the safeguarding reason for going ahead
    without it."""
    basis = SafeAndWellReferral.ConsentBasis
    clean["no_consent_reason"] = text(no_consent_reason)
    if consent_basis == basis.GIVEN:
        roles = {p.role for p in parents}
        if consent_given_by not in roles:
            errors.setdefault("consent_given_by", []).append(
                _("Say which of the parents concerned gave consent.")
            )
        if consent_given_on is None:
            errors.setdefault("consent_given_on", []).append(_("Enter the date consent was given."))
        elif consent_given_on > today:
            errors.setdefault("consent_given_on", []).append(_("The date cannot be in the future."))
        elif consent_given_on < today - timedelta(days=CONSENT_MAX_AGE_DAYS):
            errors.setdefault("consent_given_on", []).append(
                _("Consent is more than %(CONSENT_MAX_AGE_DAYS)s days old: ask the parent again.")
                % {"CONSENT_MAX_AGE_DAYS": CONSENT_MAX_AGE_DAYS}
            )
        if consent_method not in SafeAndWellReferral.ConsentMethod.values:
            errors.setdefault("consent_method", []).append(_("Say how consent was given."))
        if clean["no_consent_reason"]:
            errors.setdefault("no_consent_reason", []).append(
                _("The parent consented: leave the reason for going ahead without consent empty.")
            )
        clean.update(
            consent_given_by=consent_given_by,
            consent_given_on=consent_given_on,
            consent_method=consent_method,
        )
    elif consent_basis in (basis.REFUSED, basis.NOT_SOUGHT):
        if not clean["no_consent_reason"]:
            errors.setdefault("no_consent_reason", []).append(
                _("Give the safeguarding reason for going ahead without the parent's consent.")
            )
        check_length(errors, "no_consent_reason", clean["no_consent_reason"], 2000)
        clean.update(consent_given_by="", consent_given_on=None, consent_method="")
    else:
        errors.setdefault("consent_basis", []).append(
            _("Say whether the parent consented, and if not why you are going ahead.")
        )


@sensitive_variables()
def _validate_reaching(
    errors: dict[str, list[str]],
    clean: dict[str, object],
    *,
    safe_number: str,
    safe_call_from: time | None,
    safe_call_to: time | None,
    safe_times_notes: str,
    language: str,
) -> None:
    """How to reach the parent safely: the number, the safe times, the language."""
    try:
        clean["safe_number"] = uk_phone(safe_number)
    except InvalidPhoneNumber as exc:
        errors.setdefault("safe_number", []).append(str(exc))
    if (safe_call_from is None) != (safe_call_to is None):
        errors.setdefault("safe_call_to", []).append(
            _("Give both ends of the safe time to call, or neither.")
        )
    elif safe_call_from is not None and safe_call_to is not None and safe_call_to <= safe_call_from:
        errors.setdefault("safe_call_to", []).append(_("The safe time must end after it starts."))
    clean["safe_times_notes"] = text(safe_times_notes)
    check_length(errors, "safe_times_notes", clean["safe_times_notes"], 200)
    clean["language"] = text(language)
    if not clean["language"]:
        errors.setdefault("language", []).append(_("Enter the language to use on the call."))
    check_length(errors, "language", clean["language"], 60)


@sensitive_variables()
def _validate_source(
    errors: dict[str, list[str]],
    clean: dict[str, object],
    family: Family,
    source: str,
    alert: Alert | None,
    acknowledge_alert: bool,
) -> None:
    """Where the concern came from. A referral from a safety alert is linked to that
    alert (which must be about this family); the source follows from the alert when it
    is not given."""
    Source = SafeAndWellReferral.Source
    clean["source"] = source or (Source.ALERT if alert is not None else Source.FAMILY_PAGE)
    if clean["source"] not in Source.values:
        errors.setdefault("source", []).append(_("Choose where the concern came from."))
    elif alert is not None and clean["source"] != Source.ALERT:
        errors.setdefault("source", []).append(
            _("The referral is linked to a safety alert: its source is the alert.")
        )
    elif clean["source"] == Source.ALERT and alert is None:
        errors.setdefault("alert", []).append(_("Give the number of the safety alert."))
    if alert is not None:
        if alert.family_id != family.pk:
            errors.setdefault("alert", []).append(
                _("That alert is about another family: signpost from the alert's own page.")
            )
        if clean["source_reference"]:
            errors.setdefault("source_reference", []).append(
                _("The referral is linked to the alert: leave the reference empty.")
            )
    if acknowledge_alert:
        if alert is None:
            errors.setdefault("acknowledge_alert", []).append(
                _("There is no alert to acknowledge.")
            )
        elif not alert.is_open:
            errors.setdefault("acknowledge_alert", []).append(
                _("The alert has already been acknowledged.")
            )
