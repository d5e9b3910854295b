"""Passwordless sign-in for parents: a one-time link and 6-digit code, stored only as
hashes, single use, short-lived, rate-limited, with no hint whether an address exists."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.phones import InvalidPhoneNumber, uk_mobile
from babysteps.core.ratelimit import RateLimited, hit
from babysteps.families.models import Parent
from babysteps.notifications.models import Message
from babysteps.notifications.services import message_to_parent
from babysteps.portal.identity import eligible_parents
from babysteps.portal.models import PortalProfile, SignInChallenge

SIGN_IN_KEY_PREFIX = "portal:sign-in:"


def parent_label(parent: Parent) -> str:
    """How audit events name a parent: by role and id, never by name or address."""
    return f"parent:{parent.pk} ({parent.role})"


# --- Addresses -----------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    kind: str  # "email" or "sms"
    value: str


def normalise_address(raw: str) -> Address | None:
    """An email address (lower-cased) or a UK mobile number (E.164, as stored); else None."""
    text = (raw or "").strip()
    if "@" in text:
        return (
            Address("email", text.lower())
            if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text)
            else None
        )
    try:
        return Address("sms", uk_mobile(text))
    except InvalidPhoneNumber:
        return None


def parents_at(address: Address) -> QuerySet[Parent]:
    """Parents of families with a place whose email or mobile is this address."""
    parents = eligible_parents().select_related("family")
    if address.kind == "email":
        return parents.filter(email__iexact=address.value)
    return parents.filter(mobile=address.value)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code_hash(salt: str, code: str) -> str:
    return salted_hmac("babysteps.portal.code", f"{salt}:{code}", algorithm="sha256").hexdigest()


def sign_in_url(token: str) -> str:
    return settings.SITE_URL + reverse("portal:sign_in_link", args=[token])


@transaction.atomic
def _challenge_send(
    *, parent: Parent, now: datetime, sent_by: User | None, channel: str | None
) -> tuple[SignInChallenge, Message]:
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    minutes = settings.PORTAL_CODE_MINUTES
    challenge = SignInChallenge.objects.create(
        parent=parent,
        token_hash=_token_hash(token),
        code_salt=salt,
        code_hash=_code_hash(salt, code),
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
        sent_by=sent_by,
    )
    asked = "You asked to sign in" if sent_by is None else "Your Baby Steps facilitator sent you"
    message = message_to_parent(
        parent=parent,
        key=f"{SIGN_IN_KEY_PREFIX}{challenge.pk}",
        group=f"portal:sign-in:{parent.pk}",
        subject="Your Baby Steps sign-in link",
        body=(
            f"Hello {parent.given_name},\n\n{asked} to the Baby Steps parent pages.\n\n"
            f"Open this link to sign in:\n{sign_in_url(token)}\n\n"
            f"or enter this code: {code}\n\n"
            f"The link and the code work once, for {minutes} minutes. If you did not ask "
            "for this, you can ignore this message.\n"
        ),
        channel=channel,
        send_after=now,
        # What the parent just asked for goes now; a link staff send waits for a safe time.
        ignore_safe_times=sent_by is None,
    )
    if message.send_after > now:
        # The link must still work when the message can be sent.
        challenge.expires_at = message.send_after + timedelta(minutes=minutes)
        challenge.save(update_fields=["expires_at"])
    # Once sent (at once, where the task backend runs tasks on commit), drop the code.
    transaction.on_commit(sign_in_messages_redact)
    return challenge, message


def sign_in_request(*, raw_address: str, ip: str, now: datetime | None = None) -> list[int]:
    """A parent asks for a sign-in link and code. Returns the ids of the challenges made
    (kept in the asking browser's session, where the code may then be entered); empty
    for an unknown address. The caller says the same thing either way.

    Raises ValidationError for something that is not an email address or UK mobile
    number, and RateLimited after too many requests for the address or from the IP.
    """
    moment = now or timezone.now()
    address = normalise_address(raw_address)
    if address is None:
        raise ValidationError(
            {"address": "Enter an email address, or a mobile number like 07700 900123."}
        )
    if not hit("request-ip", ip, limit=settings.PORTAL_REQUESTS_PER_IP, window_seconds=3600):
        raise RateLimited("Too many sign-in requests from this connection. Try again in an hour.")
    if not hit(
        "request-address",
        address.value,
        limit=settings.PORTAL_REQUESTS_PER_ADDRESS,
        window_seconds=settings.PORTAL_CODE_MINUTES * 60,
    ):
        raise RateLimited(
            "You have asked for several codes in a short time. Use the latest one we sent, "
            f"or try again in {settings.PORTAL_CODE_MINUTES} minutes."
        )
    ids = []
    for parent in parents_at(address):
        challenge, _ = _challenge_send(
            parent=parent, now=moment, sent_by=None, channel=address.kind
        )
        ids.append(challenge.pk)
    return ids


def sign_in_link_send(*, parent: Parent, sent_by: User, now: datetime | None = None) -> Message:
    """A facilitator sends a parent a sign-in link (by the family's preferred channel, at
    a safe time). The caller has reached the family through ``access.family_for_user``."""
    moment = now or timezone.now()
    if not eligible_parents().filter(pk=parent.pk).exists():
        raise ValidationError(
            {"parent": "This family has no cohort place, so the parent pages are closed to them."}
        )
    _, message = _challenge_send(parent=parent, now=moment, sent_by=sent_by, channel=None)
    audit_record(
        actor=sent_by,
        action=Action.CREATE,
        object_type="signinchallenge",
        object_id=message.key.removeprefix(SIGN_IN_KEY_PREFIX),
        family_id=parent.family_id,
        site_id=parent.family.site_id,
        detail={"parent_role": parent.role},
    )
    return message


def _complete(challenge: SignInChallenge, now: datetime, how: str) -> Parent | None:
    """Use the challenge (once: a conditional update only one request can win)."""
    used = SignInChallenge.objects.filter(
        pk=challenge.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not used:
        return None
    parent = eligible_parents().select_related("family").filter(pk=challenge.parent_id).first()
    if parent is None:
        return None
    # Any other code still out for this parent stops working.
    SignInChallenge.objects.filter(parent=parent, used_at__isnull=True).update(used_at=now)
    PortalProfile.objects.update_or_create(parent=parent, defaults={"last_signed_in_at": now})
    audit_record(
        actor=None,
        actor_label=parent_label(parent),
        action=Action.SIGN_IN,
        object_type="parent",
        object_id=parent.pk,
        family_id=parent.family_id,
        site_id=parent.family.site_id,
        detail={"by": how},
    )
    return parent


def sign_in_link_is_live(token: str, *, now: datetime | None = None) -> bool:
    """Whether a link would still sign in (without using it)."""
    if not token or len(token) > 100:
        return False
    return SignInChallenge.objects.filter(
        token_hash=_token_hash(token), used_at__isnull=True, expires_at__gt=now or timezone.now()
    ).exists()


@transaction.atomic
def sign_in_with_token(*, token: str, now: datetime | None = None) -> Parent | None:
    """The parent opened their link (and pressed the button). None if the link is
    unknown, used or expired."""
    moment = now or timezone.now()
    if not token or len(token) > 100:
        return None
    challenge = SignInChallenge.objects.filter(token_hash=_token_hash(token)).first()
    if challenge is None:
        return None
    return _complete(challenge, moment, "link")


@transaction.atomic
def sign_in_with_code(
    *, challenge_ids: list[int], code: str, ip: str, now: datetime | None = None
) -> Parent | None:
    """The parent typed the code in the browser that asked for it. Each code allows a
    few guesses, and guesses from one IP address are limited, so it cannot be guessed."""
    moment = now or timezone.now()
    if not hit("guess-ip", ip, limit=settings.PORTAL_GUESSES_PER_IP, window_seconds=3600):
        raise RateLimited("Too many codes tried from this connection. Try again in an hour.")
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    live = list(
        SignInChallenge.objects.filter(
            pk__in=challenge_ids[-10:],
            used_at__isnull=True,
            expires_at__gt=moment,
            attempts__lt=settings.PORTAL_CODE_ATTEMPTS,
        )
    )
    if not live:
        return None
    SignInChallenge.objects.filter(pk__in=[c.pk for c in live]).update(attempts=F("attempts") + 1)
    for challenge in live:
        if constant_time_compare(_code_hash(challenge.code_salt, code), challenge.code_hash):
            return _complete(challenge, moment, "code")
    return None


def sign_in_messages_redact(*, now: datetime | None = None) -> int:
    """Sign-in codes are stored only as hashes; the queued message that carried one keeps
    it only until it has gone, or a day at most."""
    moment = now or timezone.now()
    finished = [
        Message.Status.SENT,
        Message.Status.FAILED,
        Message.Status.SKIPPED,
        Message.Status.CANCELLED,
    ]
    return (
        Message.objects.filter(key__startswith=SIGN_IN_KEY_PREFIX)
        .exclude(body="")
        .filter(Q(status__in=finished) | Q(created_at__lt=moment - timedelta(days=1)))
        .update(body="")
    )
