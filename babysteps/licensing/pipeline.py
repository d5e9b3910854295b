"""The licensing pipeline: a public enquiry (confirmed by its emailed link) becomes a
licence in "enquiry"; readiness assessment against the checklist; approval with terms,
which creates or links the site; activation, renewal, suspension (with a reason) and
expiry. Every step is checked against the life cycle, recorded (``LicenceStep``) and
audited; a refused step changes nothing."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import filetype
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import Role, User
from babysteps.accounts.selectors import users_with_national_role
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object
from babysteps.licensing.models import (
    Enquiry,
    Licence,
    LicenceStep,
    Organisation,
    ReadinessCheck,
    ReadinessItem,
    Site,
)
from babysteps.licensing.services import check_transition
from babysteps.notifications.services import message_to_address, message_to_staff

S = Licence.Status
SALT = "babysteps.licensing.enquiry"
CONFIRM_WITHIN = timedelta(days=7)


# --- The public enquiry ------------------------------------------------------------------


def enquiry_token(enquiry: Enquiry) -> str:
    return signing.dumps({"e": enquiry.pk}, salt=SALT)


def _confirm_url(enquiry: Enquiry) -> str:
    return f"{settings.SITE_URL}{reverse('enquiry:confirm')}?token={enquiry_token(enquiry)}"


@transaction.atomic
def enquiry_submit(
    *,
    organisation_name: str,
    area: str,
    contact_name: str,
    contact_email: str,
    plan: str,
    reason: str,
    contact_phone: str = "",
    now: datetime | None = None,
) -> Enquiry:
    """Keep the enquiry and send its confirmation link (nothing enters the pipeline until
    the link is followed). The acknowledgement goes to the address given."""
    moment = now or timezone.now()
    enquiry = Enquiry(
        organisation_name=" ".join(organisation_name.split()),
        area=" ".join(area.split()),
        contact_name=" ".join(contact_name.split()),
        contact_email=contact_email.strip().lower(),
        contact_phone=contact_phone.strip(),
        plan=plan.strip(),
        reason=reason.strip(),
        created_at=moment,
    )
    enquiry.full_clean(exclude=["licence"])
    enquiry.save()
    message_to_address(
        key=f"enquiry:{enquiry.pk}:confirm",
        to=enquiry.contact_email,
        subject="Please confirm your Baby Steps licence enquiry",
        body=(
            f"Hello {enquiry.contact_name},\n\nThank you for your enquiry about delivering "
            f"Baby Steps for {enquiry.organisation_name}. Please confirm it by opening this "
            f"link within {CONFIRM_WITHIN.days} days:\n{_confirm_url(enquiry)}\n\nIf you did "
            "not make this enquiry, ignore this message and it will be deleted.\n"
        ),
        group=f"enquiry:{enquiry.pk}",
    )
    return enquiry


def enquiry_from_token(value: str) -> Enquiry:
    try:
        data = signing.loads(value, salt=SALT, max_age=CONFIRM_WITHIN)
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired: please send your enquiry again.")) from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid.")) from None
    enquiry_id = data.get("e") if isinstance(data, dict) else None
    enquiry = Enquiry.objects.filter(pk=enquiry_id).first() if isinstance(enquiry_id, int) else None
    if enquiry is None:
        raise ValidationError(_("This link is no longer valid."))
    return enquiry


def _reference(enquiry: Enquiry) -> str:
    return f"BS-{timezone.localdate(enquiry.created_at):%Y}-{enquiry.pk:05d}"


@transaction.atomic
def enquiry_confirm(*, value: str, now: datetime | None = None) -> Enquiry:
    """Follow the emailed link: the enquiry enters the pipeline as a licence in
    "enquiry" (its organisation found by name, or created), and the NSPCC admins are
    told. Following it again changes nothing."""
    moment = now or timezone.now()
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry_from_token(value).pk)
    if enquiry.confirmed_at is not None:
        return enquiry
    organisation, _created = Organisation.objects.get_or_create(
        name=enquiry.organisation_name, defaults={"contact_email": enquiry.contact_email}
    )
    licence = Licence.objects.create(
        organisation=organisation, reference=_reference(enquiry), status=S.ENQUIRY
    )
    LicenceStep.objects.create(
        licence=licence, to_status=S.ENQUIRY, reason="Enquiry confirmed", at=moment
    )
    enquiry.confirmed_at = moment
    enquiry.licence = licence
    enquiry.save(update_fields=["confirmed_at", "licence"])
    audit_object(actor=None, action=Action.CREATE, obj=licence, detail={"enquiry": enquiry.pk})
    link = settings.SITE_URL + reverse("licensing:licence", args=[licence.pk])
    for admin in users_with_national_role(role=Role.NSPCC_ADMIN):
        message_to_staff(
            user=admin,
            key=f"enquiry:{enquiry.pk}:admin:{admin.pk}",
            subject="A new Baby Steps licence enquiry",
            body=f"A licence enquiry was confirmed and is in the pipeline:\n{link}\n",
        )
    message_to_address(
        key=f"enquiry:{enquiry.pk}:received",
        to=enquiry.contact_email,
        subject="We have your Baby Steps licence enquiry",
        body=(
            f"Hello {enquiry.contact_name},\n\nThank you: your enquiry is confirmed "
            f"(reference {licence.reference}). The NSPCC's Baby Steps team will contact "
            "you about the next step, a readiness assessment.\n"
        ),
        group=f"enquiry:{enquiry.pk}",
    )
    return enquiry


# --- Readiness ---------------------------------------------------------------------------

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# What evidence may be: checked by content, not by the name it was uploaded with.
EVIDENCE_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "application/zip",
    }
)


def _check_evidence(document: UploadedFile) -> None:
    if (document.size or 0) > EVIDENCE_MAX_BYTES:
        raise ValidationError({"document": _("The document is over 10 MB.")})
    head = document.read(8192)
    document.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise ValidationError(
            {"document": _("Upload a PDF, an image (PNG or JPEG) or a Word, Excel or ODF file.")}
        )


def missing_items(licence: Licence) -> list[ReadinessItem]:
    done = set(licence.checks.values_list("item_id", flat=True))
    return [item for item in ReadinessItem.objects.filter(active=True) if item.pk not in done]


@transaction.atomic
def readiness_confirm(
    *,
    licence: Licence,
    item: ReadinessItem,
    confirmed_by: User,
    note: str = "",
    document: UploadedFile | None = None,
    now: datetime | None = None,
) -> ReadinessCheck:
    """Record that an item of the checklist is in place (during readiness assessment)."""
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if licence.status != S.READINESS:
        raise ValidationError(_("Items are confirmed during the readiness assessment."))
    if licence.checks.filter(item=item).exists():
        raise ValidationError(_("“%(item)s” is already confirmed.") % {"item": item})
    check = ReadinessCheck(
        licence=licence,
        item=item,
        confirmed_by=confirmed_by,
        confirmed_at=now or timezone.now(),
        note=note.strip()[:500],
    )
    if document is not None:
        _check_evidence(document)
        check.document = document
    check.save()
    audit_object(
        actor=confirmed_by, action=Action.CREATE, obj=check, detail={"licence": licence.pk}
    )
    return check


# --- Steps -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    start_date: date
    end_date: date
    support_until: date | None = None
    facilitator_allowance: int = 12


def _step(licence: Licence, to: str, by: User, reason: str, now: datetime) -> None:
    LicenceStep.objects.create(
        licence=licence, from_status=licence.status, to_status=to, reason=reason, by=by, at=now
    )
    audit_object(
        actor=by,
        action=Action.CHANGE,
        obj=licence,
        reason=reason[:200],
        detail={"from": licence.status, "to": to},
    )
    licence.status = to


def _check_terms(terms: Terms) -> None:
    errors: dict[str, str] = {}
    if terms.end_date <= terms.start_date:
        errors["end_date"] = _("The licence must end after it starts.")
    if terms.support_until is not None and terms.support_until < terms.start_date:
        errors["support_until"] = _("Support cannot end before the licence starts.")
    if not 1 <= terms.facilitator_allowance <= 100:
        errors["facilitator_allowance"] = _("Give between 1 and 100 facilitators.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def licence_step(
    *,
    licence: Licence,
    to: str,
    by: User,
    reason: str = "",
    terms: Terms | None = None,
    site_name: str = "",
    site: Site | None = None,
    now: datetime | None = None,
) -> Licence:
    """Move a licence one step. Approval needs every checklist item confirmed, terms,
    and a site (a new one named ``site_name``, or one of the organisation's); suspension
    needs a reason; renewal (from renewal due or expired back to active) needs new terms."""
    moment = now or timezone.now()
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    check_transition(licence, to)
    reason = " ".join(reason.split())
    if to == S.APPROVED:
        _approve(licence, terms=terms, site_name=site_name, site=site)
    elif to == S.SUSPENDED:
        if not reason:
            raise ValidationError({"reason": _("Say why the licence is suspended.")})
        licence.suspended_reason = reason[:500]
    elif to == S.ACTIVE and licence.status in (S.RENEWAL_DUE,) and terms is not None:
        _check_terms(terms)
        licence.end_date = terms.end_date
    elif to == S.ACTIVE and (licence.start_date is None or licence.end_date is None):
        raise ValidationError(_("Set the licence's terms first."))
    _step(licence, to, by, reason, moment)
    if to != S.SUSPENDED:
        licence.suspended_reason = ""
    licence.full_clean(exclude=["organisation"])
    licence.save()
    return licence


def _approve(licence: Licence, *, terms: Terms | None, site_name: str, site: Site | None) -> None:
    missing = missing_items(licence)
    if missing:
        raise ValidationError(
            "Confirm every item of the readiness checklist first: "
            + "; ".join(str(item) for item in missing)
            + "."
        )
    if terms is None:
        raise ValidationError(_("Give the licence's terms (start, end, support, facilitators)."))
    _check_terms(terms)
    if site is not None and site.organisation_id != licence.organisation_id:
        raise ValidationError({"site": _("Choose one of the organisation's own sites.")})
    name = " ".join(site_name.split())
    if site is None and not name:
        raise ValidationError({"site_name": _("Name the site that will deliver, or choose one.")})
    if site is None and Site.objects.filter(name__iexact=name).exists():
        raise ValidationError({"site_name": _("A site with this name already exists.")})
    licence.start_date, licence.end_date = terms.start_date, terms.end_date
    licence.support_until = terms.support_until
    licence.facilitator_allowance = terms.facilitator_allowance
    if site is None:
        site = Site.objects.create(organisation_id=licence.organisation_id, name=name)
    site.licence = licence
    site.save(update_fields=["licence"])
