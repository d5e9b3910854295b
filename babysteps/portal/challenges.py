"""Making and sending a parent's one-time sign-in (a link and a 6-digit code, stored only
as hashes), for the parent who asked (the task worker sends it, so asking takes the same
work whether or not the address is known) or sent by a facilitator."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.core.phones import InvalidPhoneNumber, uk_mobile
from babysteps.families.models import Parent
from babysteps.notifications.models import Message
from babysteps.notifications.services import message_to_parent
from babysteps.portal.identity import eligible_parents
from babysteps.portal.models import SignInChallenge

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
    # The token travels in the query string, which the documented access-log format and
    # the app's request logs leave out (a path would be logged).
    return f"{settings.SITE_URL}{reverse('portal:sign_in_link')}?{urlencode({'token': token})}"


@transaction.atomic
def _challenge_send(
    *,
    parent: Parent,
    now: datetime,
    sent_by: User | None,
    channel: str | None,
    browser_hash: str = "",
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
        browser_hash=browser_hash,
    )
    with translation.override(parent.portal_language):
        if sent_by is None:
            asked = _("You asked to sign in to the Baby Steps parent pages.")
        else:
            asked = _("Your Baby Steps facilitator sent you a link to the Baby Steps parent pages.")
        subject = _("Your Baby Steps sign-in link")
        body = _(
            "Hello %(name)s,\n\n%(asked)s\n\nOpen this link to sign in:\n%(link)s\n\nor "
            "enter this code: %(code)s\n\nThe link and the code work once, for %(minutes)s "
            "minutes. If you did not ask for this, you can ignore this message.\n"
        ) % {
            "name": parent.given_name,
            "asked": asked,
            "link": sign_in_url(token),
            "code": code,
            "minutes": minutes,
        }
    message = message_to_parent(
        parent=parent,
        key=f"{SIGN_IN_KEY_PREFIX}{challenge.pk}",
        group=f"portal:sign-in:{parent.pk}",
        subject=subject,
        body=body,
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


def browser_hash(browser: str) -> str:
    """What a challenge keeps of the browser that asked for it (a secret in its session)."""
    return hashlib.sha256(f"browser:{browser}".encode()).hexdigest() if browser else ""


def sign_in_send(
    *, parent_ids: list[int], kind: str, browser_hash: str, now: datetime | None = None
) -> int:
    """Send each parent asked for their sign-in, bound to the browser that asked (the task
    worker's half of a request; none for an unknown address). Returns how many were sent."""
    moment = now or timezone.now()
    parents = eligible_parents().select_related("family").filter(pk__in=parent_ids)
    for parent in parents:
        _challenge_send(
            parent=parent, now=moment, sent_by=None, channel=kind, browser_hash=browser_hash
        )
    return len(parents)


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
