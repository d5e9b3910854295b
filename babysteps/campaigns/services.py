"""Signing, confirming and withdrawing; creating campaigns. Whoever signs gets the same
answer whether or not their address had signed before (the email says which it was)."""

import unicodedata
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.campaigns.models import Campaign, Signature
from babysteps.notifications.services import message_to_address, messages_erase

SALT = "campaigns.signature"
CONFIRM_DAYS = 30  # a confirmation link works as long as an unconfirmed signature is kept
RESERVED_SLUGS = {"new"}


def normalise_email(raw: str) -> str:
    """Trimmed, Unicode-normalised (NFKC) and case-folded, so one person is one signer."""
    email = unicodedata.normalize("NFKC", raw or "").strip().casefold()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("Enter an email address, like name@example.com.")}
        ) from None
    return email


def token(signature: Signature, purpose: str) -> str:
    return signing.dumps({"s": signature.pk, "p": purpose}, salt=SALT, compress=True)


def _from_token(value: str, purpose: str, *, max_age: timedelta | None) -> Signature:
    try:
        data = signing.loads(value, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired: please sign again.")) from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid.")) from None
    if not isinstance(data, dict) or data.get("p") != purpose or not isinstance(data.get("s"), int):
        raise ValidationError(_("This link is not valid."))
    signature = Signature.objects.select_related("campaign").filter(pk=data["s"]).first()
    if signature is None:
        raise ValidationError(_("This link is no longer valid."))
    return signature


def is_open(campaign: Campaign, today: datetime | None = None) -> bool:
    day = timezone.localdate(today) if today else timezone.localdate()
    return campaign.opens_on <= day and (campaign.closes_on is None or day <= campaign.closes_on)


def _link(campaign: Campaign, name: str, value: str) -> str:
    return f"{settings.SITE_URL}{reverse(f'campaigns:{name}', args=[campaign.slug])}?t={value}"


def _send(signature: Signature, *, already_confirmed: bool, attempt: str) -> None:
    campaign = signature.campaign
    withdraw = _link(campaign, "withdraw", token(signature, "withdraw"))
    if already_confirmed:
        subject = f"You have already signed: {campaign.title}"
        body = (
            f"Someone (we hope you) asked to sign the petition \u201c{campaign.title}\u201d with "
            "this address. You have already signed it, and your signature is counted once.\n\n"
            f"To withdraw your signature: {withdraw}\n"
        )
    else:
        confirm = _link(campaign, "confirm", token(signature, "confirm"))
        subject = f"Confirm your signature: {campaign.title}"
        body = (
            f"Thank you for signing \u201c{campaign.title}\u201d. Your signature counts once "
            f"you confirm it by opening this link:\n\n{confirm}\n\n"
            f"If you did not sign, ignore this email: nothing is counted and we delete the "
            f"request after {CONFIRM_DAYS} days.\n\nTo withdraw your signature at any time: "
            f"{withdraw}\n"
        )
    message_to_address(
        key=f"signature:{signature.pk}:{attempt}",
        to=signature.email,
        subject=subject,
        body=body,
        group=f"signature:{signature.pk}",
    )


def sign(
    *,
    campaign: Campaign,
    name: str,
    email: str,
    postcode: str = "",
    wants_updates: bool = False,
    now: datetime | None = None,
) -> None:
    """Record a signature waiting for its email link, or, for an address that has signed,
    email it again; the caller answers the same either way."""
    now = now or timezone.now()
    if not is_open(campaign, now):
        raise ValidationError(_("This petition is not open for signatures."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Enter your name.")})
    email = normalise_email(email)
    postcode = " ".join((postcode or "").upper().split())[:10]
    attempt = now.strftime("%Y%m%d%H%M%S%f")
    with transaction.atomic():
        existing = (
            Signature.objects.select_for_update()
            .filter(campaign=campaign, email=email)
            .exclude(status=Signature.Status.WITHDRAWN)
            .first()
        )
        if existing is None:
            try:
                with transaction.atomic():
                    existing = Signature.objects.create(
                        campaign=campaign,
                        name=name[:120],
                        email=email,
                        postcode=postcode,
                        sign_consent=campaign.sign_wording,
                        wants_updates=wants_updates,
                        updates_consent=campaign.updates_wording if wants_updates else "",
                        created_at=now,
                    )
            except IntegrityError:  # the same person, a moment ago
                existing = Signature.objects.get(
                    campaign=campaign, email=email, status__in=["pending", "confirmed"]
                )
        _send(
            existing,
            already_confirmed=existing.status == Signature.Status.CONFIRMED,
            attempt=attempt,
        )


@transaction.atomic
def confirm(*, value: str, now: datetime | None = None) -> Signature:
    signature = _from_token(value, "confirm", max_age=timedelta(days=CONFIRM_DAYS))
    signature = (
        Signature.objects.select_for_update().select_related("campaign").get(pk=signature.pk)
    )
    if signature.status == Signature.Status.WITHDRAWN:
        raise ValidationError(_("This signature was withdrawn: sign again to add your name."))
    if signature.status == Signature.Status.PENDING:
        signature.status = Signature.Status.CONFIRMED
        signature.confirmed_at = now or timezone.now()
        signature.save(update_fields=["status", "confirmed_at"])
    return signature


@transaction.atomic
def withdraw(*, value: str, now: datetime | None = None) -> Signature:
    """Remove the signature from the count and erase who signed (and what was sent)."""
    signature = _from_token(value, "withdraw", max_age=None)
    signature = (
        Signature.objects.select_for_update().select_related("campaign").get(pk=signature.pk)
    )
    if signature.status != Signature.Status.WITHDRAWN:
        signature.status = Signature.Status.WITHDRAWN
        signature.withdrawn_at = now or timezone.now()
        signature.name, signature.email, signature.postcode = "", f"withdrawn:{signature.pk}", ""
        signature.wants_updates = False
        signature.save()
        messages_erase(group=f"signature:{signature.pk}")
    return signature


def campaign_create(*, created_by: User, **fields: object) -> Campaign:
    campaign = Campaign(created_by=created_by, **fields)
    if campaign.slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("Choose another address: that one is taken.")})
    campaign.full_clean()
    campaign.save()
    audit_record(
        actor=created_by,
        action=Action.CREATE,
        object_type="campaign",
        object_id=campaign.pk,
        detail={"slug": campaign.slug},
    )
    return campaign
