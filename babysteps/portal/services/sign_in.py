"""Passwordless sign-in for parents: a one-time link and 6-digit code, stored only as
hashes, single use, short-lived, rate-limited, with no hint whether an address exists.

Asking takes the same work whatever the address (the worker finds the parent and sends the
message: ``challenges.py``). The code and the link work in the browser that asked; anywhere
else, the link needs the code too, so a link read from a log or a shared device is not
enough."""

import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.ratelimit import RateLimited, hit
from babysteps.core.tasks import enqueue_at
from babysteps.families.models import Parent
from babysteps.notifications.models import Message
from babysteps.portal.challenges import (
    SIGN_IN_KEY_PREFIX,
    _challenge_send,
    _code_hash,
    _token_hash,
    browser_hash,
    normalise_address,
    parent_label,
    parents_at,
)
from babysteps.portal.identity import eligible_parents
from babysteps.portal.models import PortalProfile, SignInChallenge
from babysteps.portal.tasks import send_sign_in


def sign_in_request(*, raw_address: str, ip: str, browser: str) -> None:
    """A parent asks for a sign-in link and code, from the browser holding the secret
    ``browser`` (kept in its session). The same work whatever the address: checked and
    counted and looked up here, then the worker sends the message to the parent, if any,
    bound to that browser. The caller says the same thing either way.

    Raises ValidationError for something that is not an email address or UK mobile
    number, and RateLimited after too many requests for the address or from the IP.
    """
    address = normalise_address(raw_address)
    if address is None:
        raise ValidationError(
            {"address": _("Enter an email address, or a mobile number like 07700 900123.")}
        )
    if not hit("request-ip", ip, limit=settings.PORTAL_REQUESTS_PER_IP, window_seconds=3600):
        raise RateLimited(
            _("Too many sign-in requests from this connection. Try again in an hour.")
        )
    if not hit(
        "request-address",
        address.value,
        limit=settings.PORTAL_REQUESTS_PER_ADDRESS,
        window_seconds=settings.PORTAL_CODE_MINUTES * 60,
    ):
        raise RateLimited(
            _(
                "You have asked for several codes in a short time. Use the latest one we "
                "sent, or try again in %(minutes)s minutes."
            )
            % {"minutes": settings.PORTAL_CODE_MINUTES}
        )
    # One indexed look-up and one queued task, known address or not.
    parent_ids = list(parents_at(address).values_list("pk", flat=True))
    enqueue_at(send_sign_in, None, parent_ids, address.kind, browser_hash(browser))


def sign_in_link_send(*, parent: Parent, sent_by: User, now: datetime | None = None) -> Message:
    """A facilitator sends a parent a sign-in link (by the family's preferred channel, at
    a safe time). The caller has reached the family through ``access.family_for_user``."""
    moment = now or timezone.now()
    if not eligible_parents().filter(pk=parent.pk).exists():
        raise ValidationError(
            {
                "parent": _(
                    "This family has no cohort place, so the parent pages are closed to them."
                )
            }
        )
    _challenge, message = _challenge_send(parent=parent, now=moment, sent_by=sent_by, channel=None)
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


def _live(now: datetime) -> QuerySet[SignInChallenge]:
    return SignInChallenge.objects.filter(
        used_at__isnull=True, expires_at__gt=now, attempts__lt=settings.PORTAL_CODE_ATTEMPTS
    )


def _challenge_for_link(token: str, now: datetime) -> SignInChallenge | None:
    if not token or len(token) > 100:
        return None
    return _live(now).filter(token_hash=_token_hash(token)).first()


def sign_in_link_is_live(token: str, *, now: datetime | None = None) -> bool:
    """Whether a link would still sign in (without using it)."""
    return _challenge_for_link(token, now or timezone.now()) is not None


def sign_in_link_needs_code(token: str, *, browser: str, now: datetime | None = None) -> bool:
    """Whether this browser must also give the code: any browser but the one that asked
    (a link a facilitator sent always needs it)."""
    challenge = _challenge_for_link(token, now or timezone.now())
    return challenge is None or not _same_browser(challenge, browser)


def _same_browser(challenge: SignInChallenge, browser: str) -> bool:
    return bool(challenge.browser_hash and browser) and constant_time_compare(
        challenge.browser_hash, browser_hash(browser)
    )


def _guess(ip: str) -> None:
    if not hit("guess-ip", ip, limit=settings.PORTAL_GUESSES_PER_IP, window_seconds=3600):
        raise RateLimited(_("Too many codes tried from this connection. Try again in an hour."))


def _code_matches(challenges: list[SignInChallenge], code: str) -> SignInChallenge | None:
    """The challenge whose code this is (each try counts against every one of them)."""
    code = re.sub(r"\s", "", code or "")
    if not challenges or not re.fullmatch(r"\d{6}", code):
        return None
    SignInChallenge.objects.filter(pk__in=[c.pk for c in challenges]).update(
        attempts=F("attempts") + 1
    )
    for challenge in challenges:
        if constant_time_compare(_code_hash(challenge.code_salt, code), challenge.code_hash):
            return challenge
    return None


@transaction.atomic
def sign_in_with_link(
    *, token: str, browser: str, code: str = "", ip: str = "", now: datetime | None = None
) -> Parent | None:
    """The parent opened their link (and pressed the button): in the browser that asked
    it signs in; anywhere else only with the code as well. None if the link is unknown,
    used or expired, or the code is missing or wrong."""
    moment = now or timezone.now()
    challenge = _challenge_for_link(token, moment)
    if challenge is None:
        return None
    if _same_browser(challenge, browser):
        return _complete(challenge, moment, "link")
    _guess(ip)
    if _code_matches([challenge], code) is None:
        return None
    return _complete(challenge, moment, "link and code")


@transaction.atomic
def sign_in_with_code(
    *, browser: str, code: str, ip: str, now: datetime | None = None
) -> Parent | None:
    """The parent typed the code in the browser that asked for it. Each code allows a
    few guesses, and guesses from one IP address are limited, so it cannot be guessed."""
    moment = now or timezone.now()
    _guess(ip)
    if not browser:
        return None
    live = list(_live(moment).filter(browser_hash=browser_hash(browser)).order_by("-pk")[:10])
    matched = _code_matches(live, code)
    return _complete(matched, moment, "code") if matched is not None else None
