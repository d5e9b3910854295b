"""The data-protection commands: their options, their refusals and their audit."""

import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from babysteps.audit.models import Action, AuditEvent
from babysteps.families.models import Family, Parent
from babysteps.privacy.services import legal_hold_place
from tests.factories import ParentFactory

pytestmark = pytest.mark.django_db


def _export(tmp_path, family, *extra: str) -> dict:
    output = tmp_path / "export.zip"
    call_command("subject_access", "--family", str(family.pk), *extra, "--output", str(output))
    assert output.stat().st_mode & 0o077 == 0  # readable by its owner only
    with zipfile.ZipFile(output) as archive:
        return json.loads(archive.read("subject-access.json"))


def test_subject_access_for_one_parent_leaves_the_other_out(cast, tmp_path):
    mother = Parent.objects.get(family=cast.family_a, role="mother")
    partner = ParentFactory(family=cast.family_a, role="partner", given_name="Jordan")
    assert len(_export(tmp_path, cast.family_a)["parents"]) == 2
    data = _export(tmp_path, cast.family_a, "--parent", "partner")
    text = json.dumps(data)
    assert partner.given_name in text
    assert mother.given_name not in text
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("pk")
    assert event.detail == {"scope": "partner"}
    assert event.actor_label.startswith("command: ")
    assert event.channel == "command"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--family", "999999", "--output", "x.zip"], "No family with id 999999"),
        (["--family", "{family}", "--output", "x.txt"], "must be a .zip"),
        (["--family", "{family}", "--output", "/no/such/folder/x.zip"], "does not exist"),
    ],
)
def test_subject_access_refuses_wrong_input_clearly(cast, tmp_path, args, message):
    args = [a.format(family=cast.family_a.pk) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("subject_access", *args)
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_erase_family_refuses_a_held_family_and_names_the_hold(cast):
    legal_hold_place(family=cast.family_a, reason="a court order", placed_by=cast.admin)
    with pytest.raises(CommandError, match="a court order"):
        call_command("erase_family", "--family", str(cast.family_a.pk), "--reason", "asked")
    assert Family.objects.get(pk=cast.family_a.pk).anonymised_at is None
    with pytest.raises(CommandError, match="No family with id 999999"):
        call_command("erase_family", "--family", "999999", "--reason", "asked")


def test_erase_family_twice_is_refused(cast):
    call_command("erase_family", "--family", str(cast.family_a.pk), "--reason", "asked")
    with pytest.raises(CommandError, match="already been erased"):
        call_command("erase_family", "--family", str(cast.family_a.pk), "--reason", "asked")
    assert AuditEvent.objects.filter(action=Action.ERASE).count() == 1
