"""Every change to who may do what is an audit event, whichever door it came through: the
site's staff pages, the Django admin (forms, inlines, bulk delete), a command or the shell.
Model signals see them all; the actor is whoever the request or service names
(``audit.actor``). A role combination that defeats pseudonymisation is refused here too,
as the last guard behind the forms that explain it.

The events carry field names and role codes, never passwords or other values.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from babysteps.accounts.models import Membership, User, check_role_combination
from babysteps.accounts.signals import access_reduced
from babysteps.audit.actor import current_actor
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object

# Account fields whose change alters what the account may do. Changes to others (the name,
# last_login on every sign-in) are not access changes.
TRACKED_USER_FIELDS = ("email", "is_active", "is_staff", "is_superuser", "password")
_BEFORE = "_babysteps_before"


def _tracked(update_fields: Any, fields: tuple[str, ...]) -> tuple[str, ...]:
    if update_fields is None:
        return fields
    return tuple(f for f in fields if f in update_fields)


def user_before_save(sender: type[User], instance: User, raw: bool, **kwargs: Any) -> None:
    fields = _tracked(kwargs.get("update_fields"), TRACKED_USER_FIELDS)
    if raw or instance.pk is None or not fields:
        return
    setattr(instance, _BEFORE, User.objects.filter(pk=instance.pk).values(*fields).first())


def user_after_save(
    sender: type[User], instance: User, created: bool, raw: bool, **kwargs: Any
) -> None:
    if raw:
        return
    if created:
        audit_object(actor=current_actor(), action=Action.CREATE, obj=instance)
        return
    before = instance.__dict__.pop(_BEFORE, None)
    if not before:
        return
    changed = [f for f, value in before.items() if getattr(instance, f) != value]
    if not changed:
        return
    detail: dict[str, Any] = {"fields": changed}
    for flag in ("is_active", "is_staff", "is_superuser"):
        if flag in changed:  # flags are not personal data: say which way they went
            detail[flag] = getattr(instance, flag)
    audit_object(actor=current_actor(), action=Action.CHANGE, obj=instance, detail=detail)
    if "is_active" in changed and not instance.is_active:
        access_reduced.send(sender=User, user=instance, reason="account deactivated")
    elif "password" in changed:
        access_reduced.send(sender=User, user=instance, reason="password changed")


def membership_before_save(
    sender: type[Membership], instance: Membership, raw: bool, **kwargs: Any
) -> None:
    if raw:
        return
    others = Membership.objects.filter(user_id=instance.user_id).exclude(pk=instance.pk)
    check_role_combination({instance.role, *others.values_list("role", flat=True)})
    if instance.pk is not None:
        setattr(
            instance,
            _BEFORE,
            Membership.objects.filter(pk=instance.pk).values("role", "site_id").first(),
        )


def membership_after_save(
    sender: type[Membership], instance: Membership, created: bool, raw: bool, **kwargs: Any
) -> None:
    if raw:
        return
    detail: dict[str, Any] = {"user_id": instance.user_id, "role": instance.role}
    if created:
        audit_object(
            actor=current_actor(),
            action=Action.CREATE,
            obj=instance,
            site_id=instance.site_id,
            detail={**detail, "site_id": instance.site_id},
        )
        return
    before = instance.__dict__.pop(_BEFORE, None)
    if not before or (before["role"], before["site_id"]) == (instance.role, instance.site_id):
        return
    audit_object(
        actor=current_actor(),
        action=Action.CHANGE,
        obj=instance,
        site_id=instance.site_id,
        detail={
            **detail,
            "site_id": instance.site_id,
            "was": {"role": before["role"], "site_id": before["site_id"]},
        },
    )
    access_reduced.send(sender=Membership, user=instance.user, reason="role changed")


def membership_after_delete(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    audit_object(
        actor=current_actor(),
        action=Action.DELETE,
        obj=instance,
        site_id=instance.site_id,
        detail={"user_id": instance.user_id, "role": instance.role, "site_id": instance.site_id},
    )
    access_reduced.send(sender=Membership, user=instance.user, reason="role removed")


def connect() -> None:
    pre_save.connect(user_before_save, sender=User, dispatch_uid="accounts.user_before")
    post_save.connect(user_after_save, sender=User, dispatch_uid="accounts.user_after")
    pre_save.connect(membership_before_save, sender=Membership, dispatch_uid="accounts.m_before")
    post_save.connect(membership_after_save, sender=Membership, dispatch_uid="accounts.m_after")
    post_delete.connect(
        membership_after_delete, sender=Membership, dispatch_uid="accounts.m_delete"
    )
