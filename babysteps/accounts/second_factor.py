"""The second factor every member of staff passes after their password: an authenticator
app (TOTP), a passkey (WebAuthn), or one of ten one-use recovery codes.

Devices are django-otp's (``otp_totp``, ``otp_static``) and django-otp-webauthn's. A device
is usable once confirmed; an unconfirmed TOTP device is a setup in progress. Passing the
factor is ``django_otp.login``, after which ``request.user.is_verified()`` is true for the
rest of the session.
"""

import base64
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record

RECOVERY_CODES = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def passed(user: object) -> bool:
    """Whether the request's user has passed the second factor in this session
    (``OTPMiddleware`` gives every request's user ``is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def has_second_factor(user: User) -> bool:
    """Whether the user has enrolled a usable second factor (else they enrol first)."""
    return any(True for _ in devices_for_user(user, confirmed=True))


def base32_secret(device: TOTPDevice) -> str:
    """The device's key as an authenticator app takes it (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def provisioning_uri(device: TOTPDevice, *, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    issuer = settings.OTP_TOTP_ISSUER
    return (
        f"otpauth://totp/{issuer}:{email}?secret={base32_secret(device)}"
        f"&issuer={issuer}&digits={device.digits}&period={device.step}"
    )


def totp_setup(*, user: User) -> TOTPDevice:
    """The authenticator-app device being set up (unconfirmed until a code is entered):
    the same one on every visit to the setup page, so a reload keeps the QR code."""
    device = TOTPDevice.objects.filter(user=user, name=TOTP_NAME, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@dataclass(frozen=True)
class Enrolled:
    device: TOTPDevice
    recovery_codes: list[str]  # shown to the user once


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, code: str) -> Enrolled:
    """Confirm the app with a code it shows; replaces any earlier app, and gives the user
    fresh recovery codes (shown once). ValidationError on a wrong code."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"code": _("Start the setup again.")})
    if not device.verify_token(code.strip().replace(" ", "")):
        raise ValidationError(
            {
                "code": _(
                    "That code is not right. Check the time on your phone and try the next one."
                )
            }
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user=user)
    audit_record(
        actor=user,
        action=Action.CREATE,
        object_type="second_factor",
        object_id=user.pk,
        detail={"kind": "totp"},
    )
    return Enrolled(device=device, recovery_codes=codes)


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Ten new one-use recovery codes (the old ones stop working)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(request: HttpRequest, *, user: User, code: str) -> bool:
    """Pass the second factor with a code from the app or a recovery code (each recovery
    code works once). Throttled per device by django-otp after failures."""
    token = code.strip().replace(" ", "").lower()
    if not token:
        return False
    device = match_token(user, token)
    if device is None:
        return False
    otp_login(request, device)
    audit_record(
        actor=user,
        action=Action.SIGN_IN,
        object_type="second_factor",
        object_id=user.pk,
        detail={"kind": "recovery_code" if isinstance(device, StaticDevice) else "totp"},
    )
    return True


@transaction.atomic
def second_factor_reset(*, user: User, reset_by: User, reason: str) -> int:
    """An NSPCC admin removes another person's lost second factor (app, passkeys and
    recovery codes): they enrol again at their next sign-in. Never one's own (another
    admin must do it), so a stolen password and session cannot swap the factor."""
    if user.pk == reset_by.pk:
        raise PermissionDenied(_("Ask another NSPCC admin to reset your own second factor."))
    text = " ".join(reason.split())
    if not text:
        raise ValidationError({"reason": _("Say why (e.g. a lost phone, checked by a call).")})
    removed = sum(
        model.objects.filter(user=user).delete()[0]
        for model in (TOTPDevice, StaticDevice, WebAuthnCredential)
    )
    audit_record(
        actor=reset_by,
        action=Action.CHANGE,
        object_type="second_factor",
        object_id=user.pk,
        reason=text[:200],
        detail={"fields": ["devices"], "reset": True},
    )
    return removed
