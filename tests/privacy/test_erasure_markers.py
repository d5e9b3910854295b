"""Erasure: after ``erase_family``, none of the family's markers is anywhere in a full dump
of the database (SQLite's ``.dump``, PostgreSQL's ``pg_dump``) or in the media folder;
another family's records and the evaluation's figures for other families are unchanged;
a hold blocks it, naming the hold."""

import os
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from babysteps.accounts.models import User
from babysteps.audit.models import Action, AuditEvent
from babysteps.evaluation.participants import participant_rows
from babysteps.evaluation.pseudonyms import pseudonym
from babysteps.evaluation.selectors import Filters, dataset
from babysteps.privacy.erasure import has_evaluation_consent
from babysteps.privacy.services import legal_hold_place, legal_hold_release
from babysteps.safeguarding.models import SafeAndWellReferral
from tests.privacy.markers import demo_family_with_everything, plant


def _dump() -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = [
        "pg_dump",
        "--no-owner",
        "-h",
        db["HOST"] or "127.0.0.1",
        "-p",
        str(db["PORT"] or 5432),
    ]
    command += ["-U", db["USER"] or "postgres", db["NAME"]]
    return subprocess.run(  # noqa: S603 - pg_dump of the test database
        command, env=env, check=True, capture_output=True, text=True
    ).stdout


def _media() -> str:
    texts = []
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            texts.append(path.read_bytes().decode("latin-1"))
        texts.append(str(path))
    return "\n".join(texts)


def _erase(family_id: int) -> str:
    out = StringIO()
    call_command("erase_family", family=family_id, reason="the mother asked", stdout=out)
    return out.getvalue()


def _evaluation_rows() -> list[list]:
    return list(participant_rows(dataset(filters=Filters(), site_ids=None)))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("curriculum", "instruments", "retention_schedule")
def test_an_erased_familys_markers_are_nowhere_and_others_are_untouched():
    family, other = demo_family_with_everything()
    mine, theirs = plant(family, "a"), plant(other, "b")
    dump = _dump().lower()
    assert all(m in dump for m in mine.markers), "the dump must see the planted data"

    # Held: an open referral, then a legal hold, each named in the refusal.
    referral = SafeAndWellReferral.objects.filter(family=family).first()
    referral.status = "open"
    SafeAndWellReferral.objects.filter(pk=referral.pk).update(status="open", claimed_by=None)
    with pytest.raises(CommandError, match="open safe-and-well referral"):
        _erase(family.pk)
    SafeAndWellReferral.objects.filter(pk=referral.pk).update(
        status="closed", outcome="completed", closed_at=timezone.now()
    )
    admin = User.objects.get(email="admin@nspcc.demo")
    hold = legal_hold_place(
        family=family, reason="a complaint under investigation", placed_by=admin
    )
    with pytest.raises(CommandError, match="a complaint under investigation"):
        _erase(family.pk)
    legal_hold_release(hold=hold, released_by=admin)
    assert all(m in _dump().lower() for m in mine.markers), "a refused erasure erases nothing"

    before = _evaluation_rows()
    output = _erase(family.pk)
    assert f"Family {family.pk} is erased." in output

    dump, media = _dump().lower(), _media().lower()
    left = {m: where for m, where in mine.markers.items() if m in dump or m in media}
    assert not left, left
    kept = {m: where for m, where in theirs.markers.items() if m not in dump}
    assert not kept, kept

    # The evaluation: other families' rows are the same; the erased family's stay only
    # (pseudonymised) if it consented to the evaluation.
    erased = pseudonym("family", family.pk)
    after = _evaluation_rows()
    assert [r for r in after if r[7] != erased] == [r for r in before if r[7] != erased]
    theirs_before = [r for r in before if r[7] == erased]
    expected = theirs_before if has_evaluation_consent(family) else []
    assert [r for r in after if r[7] == erased] == expected

    event = AuditEvent.objects.get(action=Action.ERASE, family_id=family.pk)
    assert event.reason == "the mother asked"
    assert event.actor_label.startswith("command: ")
    assert not any(m in str(event.detail).lower() for m in mine.markers)
