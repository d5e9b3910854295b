"""A parent's own settings, and (the mother only) the family's contact preferences."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.families.models import Family, Parent
from babysteps.portal.challenges import parent_label
from babysteps.portal.models import PortalProfile

FAMILY_CONTACT_FIELDS = (
    "contact_by_email",
    "contact_by_sms",
    "contact_by_phone",
    "preferred_channel",
    "safe_call_from",
    "safe_call_to",
    "voicemail_ok",
    "preferred_language",
    "weekly_tips_opt_in",
)
PROFILE_FIELDS = ("captions_on",)


def can_change_family_contact(parent: Parent) -> bool:
    """Only the mother changes the family's contact preferences and safe times to call:
    safe times protect her, and must not be changed (or seen) by anyone else."""
    return parent.role == Parent.Role.MOTHER


@transaction.atomic
def portal_details_update(*, parent: Parent, **values: Any) -> list[str]:
    """Save a parent's own settings, and (the mother only) the family's contact
    preferences. Returns the names of the fields changed."""
    unknown = set(values) - set(FAMILY_CONTACT_FIELDS) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not portal settings: {sorted(unknown)}")
    family: Family = parent.family
    family_values = {k: v for k, v in values.items() if k in FAMILY_CONTACT_FIELDS}
    if family_values and not can_change_family_contact(parent):
        raise ValidationError({"__all__": _("Only the mother can change these preferences.")})
    errors: dict[str, str] = {}
    merged = {f: getattr(family, f) for f in FAMILY_CONTACT_FIELDS} | family_values
    if (merged["safe_call_from"] is None) != (merged["safe_call_to"] is None):
        errors["safe_call_to"] = _("Give both ends of the safe time to call, or neither.")
    elif (
        merged["safe_call_from"] is not None and merged["safe_call_from"] == merged["safe_call_to"]
    ):
        errors["safe_call_to"] = _(
            "The safe time must end at a different time from when it starts."
        )
    channel_allowed = {
        "email": merged["contact_by_email"],
        "sms": merged["contact_by_sms"],
        "phone": merged["contact_by_phone"],
    }
    if family_values and not channel_allowed.get(merged["preferred_channel"], False):
        errors["preferred_channel"] = _("Choose a way we may contact you (ticked above).")
    if "preferred_language" in family_values and not (merged["preferred_language"] or "").strip():
        errors["preferred_language"] = _("Say which language you prefer.")
    if errors:
        raise ValidationError(errors)
    changed = [f for f, v in family_values.items() if getattr(family, f) != v]
    for name in changed:
        setattr(family, name, family_values[name])
    if changed:
        family.save(update_fields=[*changed, "updated_at"])
    profile, _created = PortalProfile.objects.get_or_create(parent=parent)
    profile_changed = [
        f for f in PROFILE_FIELDS if f in values and getattr(profile, f) != bool(values[f])
    ]
    for name in profile_changed:
        setattr(profile, name, bool(values[name]))
    if profile_changed:
        profile.save(update_fields=profile_changed)
    if changed or profile_changed:
        audit_record(
            actor=None,
            actor_label=parent_label(parent),
            action=Action.CHANGE,
            object_type="family",
            object_id=family.pk,
            family_id=family.pk,
            site_id=family.site_id,
            detail={"fields": changed + profile_changed},
        )
    return changed + profile_changed


def parent_language_set(*, parent: Parent, language: str) -> None:
    """The parent's own language for the portal and messages (one of the portal's)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    if parent.language != language:
        parent.language = language
        parent.save(update_fields=["language"])
        audit_record(
            actor=None,
            actor_label=parent_label(parent),
            action=Action.CHANGE,
            object_type="parent",
            object_id=parent.pk,
            family_id=parent.family_id,
            detail={"fields": ["language"]},
        )
