"""Every model that can hold a family's or a parent's data is in the inventory, so a new
kind of record cannot be left out of a subject-access export or an erasure."""

from django.apps import apps
from django.db import models

from babysteps.privacy.inventory import FAMILY_DATA

SUBJECTS = {"families.Family", "families.Parent"}


def _reaches_a_family(model: type[models.Model], depth: int = 2) -> bool:
    """A model with a foreign key to a family or a parent, directly or through one other
    model (a referral's call attempts)."""
    if model._meta.label in SUBJECTS:
        return True
    return depth > 0 and any(
        _reaches_a_family(field.related_model, depth - 1)
        for field in model._meta.get_fields()
        if field.concrete
        and field.is_relation
        and not field.many_to_many
        and field.related_model is not None
        and field.related_model is not model
    )


def _family_models() -> set[str]:
    return {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label not in {"audit", "admin", "contenttypes", "sessions", "auth"}
        and not model._meta.label.startswith(("accounts.", "axes.", "otp_", "django_"))
        and _reaches_a_family(model)
    }


def test_every_model_holding_family_data_is_in_the_inventory():
    missing = _family_models() - set(FAMILY_DATA)
    assert not missing, (
        f"add these to privacy/inventory.py (and erasure, subject access): {missing}"
    )


def test_a_sessions_notes_are_in_the_inventory():
    """A session reaches its families only through its register, and its notes are about
    them: the one model found by a reverse link."""
    assert "delivery.Contact" in FAMILY_DATA
    assert "delivery.Attendance" in FAMILY_DATA


def test_the_inventory_names_only_real_models():
    for label in FAMILY_DATA:
        assert apps.get_model(label) is not None
