"""``manage.py import_families``: its fixed interface, all or nothing, and duplicates."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from babysteps.audit.models import AuditEvent
from babysteps.cohorts.models import Enrolment
from babysteps.families.models import Family, Parent
from babysteps.licensing.models import Site
from tests.imports.files import nhs_number, row, to_csv

pytestmark = pytest.mark.django_db


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_families", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def write(tmp_path, rows, name="families.csv", **kw):
    path = tmp_path / name
    path.write_bytes(to_csv(rows, **kw))
    return path


BAD = {
    7: {"mother_nhs_number": "943 476 5918"},  # wrong check digit
    23: {"estimated_due_date": "14/03/2027"},
    58: {"postcode": "NOT A CODE"},
    120: {"mother_first_name": ""},
    199: {"interpreter_needed": "maybe"},
}
BAD_COLUMNS = {
    7: "mother_nhs_number",
    23: "estimated_due_date",
    58: "postcode",
    120: "mother_first_name",
    199: "interpreter_needed",
}


def test_a_file_with_five_bad_rows_names_exactly_them_and_saves_nothing(cast, tmp_path):
    today = timezone.localdate()
    rows = [row(n, today=today, **BAD.get(n + 2, {})) for n in range(200)]
    families = Family.objects.count()
    code, out, err = run(write(tmp_path, rows), "--site", str(cast.site_a.pk))
    assert code == 2
    named = re.findall(r"^line (\d+): (\w+): .+$", err, flags=re.MULTILINE)
    assert {(int(line), column) for line, column in named} == set(BAD_COLUMNS.items())
    assert Family.objects.count() == families
    assert "created" not in out


def test_the_corrected_file_imports_200_then_again_finds_200_certain_duplicates(cast, tmp_path):
    today = timezone.localdate()
    path = write(tmp_path, [row(n, today=today) for n in range(200)])
    code, out, _ = run(path, "--site", str(cast.site_a.pk))
    assert code == 0
    assert out.strip().splitlines()[-1] == "created 200, duplicates 0, skipped 0"
    imported = Family.objects.filter(site=cast.site_a, identifier__startswith="4")
    assert imported.count() == 200
    first = imported.get(identifier=nhs_number(0))
    assert first.mother.given_name == "Aisha"
    assert first.mother.mobile == "+447700900000"
    assert first.identifier_type == "nhs" and first.preferred_language == "English"
    assert imported.get(identifier=nhs_number(3)).interpreter_needed is True
    assert imported.get(identifier=nhs_number(1)).partner.family_name == "Partner1"
    event = AuditEvent.objects.get(object_type="family_import")
    assert event.detail["created"] == 200 and event.actor_label.startswith("command: ")
    assert event.channel == "command"

    code, out, _ = run(path, "--site", str(cast.site_a.pk), "--create-duplicates")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[-1] == "created 0, duplicates 200, skipped 200"
    assert sum(line.endswith("(certain)") for line in lines) == 200
    assert f"line 2: duplicate of family {first.pk} (certain)" in lines
    assert imported.count() == 200


def test_a_near_duplicate_is_flagged_and_skipped_unless_asked(cast, tmp_path):
    today = timezone.localdate()
    existing = row(1, today=today)
    run(write(tmp_path, [existing]), "--site", str(cast.site_a.pk))
    family = Family.objects.get(identifier=existing["mother_nhs_number"])
    due = family.estimated_due_date + timezone.timedelta(days=5)
    near = row(
        500,
        today=today,
        mother_first_name=existing["mother_first_name"],
        mother_last_name=existing["mother_last_name"].replace("-", "="),  # one letter
        mother_nhs_number="",
        estimated_due_date=due.isoformat(),
        postcode=existing["postcode"].split()[0] + " 9ZZ",  # same district
    )
    path = write(tmp_path, [near, row(501, today=today)], name="near.csv")

    code, out, _ = run(path, "--site", str(cast.site_a.pk), "--dry-run")
    assert code == 0
    assert f"line 2: duplicate of family {family.pk} (likely)" in out
    assert "nothing was saved" in out
    assert out.strip().splitlines()[-1] == "created 1, duplicates 1, skipped 1"

    code, out, _ = run(path, "--site", str(cast.site_a.pk), "--create-duplicates", "--dry-run")
    assert out.strip().splitlines()[-1] == "created 2, duplicates 1, skipped 0"
    assert not Parent.objects.filter(family_name=near["mother_last_name"]).exists()
    assert not Family.objects.filter(identifier=nhs_number(501)).exists()

    code, out, _ = run(path, "--site", str(cast.site_a.pk))
    assert out.strip().splitlines()[-1] == "created 1, duplicates 1, skipped 1"
    assert not Parent.objects.filter(family_name=near["mother_last_name"]).exists()
    assert Family.objects.filter(identifier=nhs_number(501)).exists()


def test_duplicates_within_the_file_are_found(cast, tmp_path):
    today = timezone.localdate()
    first = row(1, today=today)
    twin = dict(first, mother_email="other@example.org")
    path = write(tmp_path, [first, row(2, today=today), twin])
    code, out, _ = run(path, "--site", str(cast.site_a.pk), "--create-duplicates")
    assert code == 0
    assert "line 4: duplicate of line 2 (certain)" in out
    assert out.strip().splitlines()[-1] == "created 2, duplicates 1, skipped 1"


def test_families_are_placed_in_the_cohort_within_its_places(cast, tmp_path):
    today = timezone.localdate()
    cohort = cast.cohort_a  # 8 places, 1 taken
    path = write(tmp_path, [row(n, today=today) for n in range(3)])
    code, out, _ = run(path, "--site", str(cast.site_a.pk), "--cohort", str(cohort.pk))
    assert code == 0
    assert out.strip().splitlines()[-1] == "created 3, duplicates 0, skipped 0"
    assert Enrolment.objects.filter(cohort=cohort).count() == 4

    families = Family.objects.count()
    big = write(tmp_path, [row(n, today=today) for n in range(10, 20)], name="big.csv")
    code, _, err = run(big, "--site", str(cast.site_a.pk), "--cohort", str(cohort.pk))
    assert code == 2 and "4 places left for 10 families" in err
    assert Family.objects.count() == families


def test_a_cohort_of_another_site_and_unknown_ids_are_refused(cast, tmp_path):
    path = write(tmp_path, [row(1, today=timezone.localdate())])
    code, _, err = run(path, "--site", str(cast.site_a.pk), "--cohort", str(cast.cohort_b.pk))
    assert code == 2 and "is not a cohort of Site A" in err
    assert run(path, "--site", "999999")[0] == 2
    assert run(tmp_path / "missing.csv", "--site", str(cast.site_a.pk))[0] == 2
    assert not Family.objects.filter(identifier=nhs_number(1)).exists()


def test_header_problems_are_line_1(cast, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("mother_first_name,postcode,nhs\nAisha,FY1 4AB,1\n")
    code, _, err = run(path, "--site", str(cast.site_a.pk))
    assert code == 2
    assert "line 1: mother_last_name: missing column" in err
    assert "line 1: estimated_due_date: missing column" in err
    assert "line 1: nhs: unknown column" in err


def test_a_scottish_site_reads_the_number_as_a_chi_number(cast, tmp_path):
    Site.objects.filter(pk=cast.site_b.pk).update(nation=Site.Nation.SCOTLAND)
    today = timezone.localdate()
    path = write(tmp_path, [row(1, today=today, mother_nhs_number="0101991234")])
    code, _, err = run(path, "--site", str(cast.site_b.pk))
    # 0101991234 starts with a date but its check digit is wrong: refused as a CHI number.
    assert code == 2 and "line 2: mother_nhs_number: This is not a valid CHI number" in err


def test_likely_duplicates_chosen_to_be_created_need_a_place_too(cast, tmp_path):
    today = timezone.localdate()
    originals = [row(n, today=today) for n in (1, 2)]
    run(write(tmp_path, originals, name="first.csv"), "--site", str(cast.site_a.pk))
    near = [
        dict(o, mother_nhs_number="", mother_last_name=o["mother_last_name"] + "e")
        for o in originals
    ]
    path = write(tmp_path, near + [row(n, today=today) for n in range(10, 16)])
    cohort = str(cast.cohort_a.pk)  # 7 places left
    families = Family.objects.count()
    code, _, err = run(
        path, "--site", str(cast.site_a.pk), "--cohort", cohort, "--create-duplicates"
    )
    assert code == 2 and "7 places left for 8 families" in err
    assert Family.objects.count() == families
    code, out, _ = run(path, "--site", str(cast.site_a.pk), "--cohort", cohort)
    assert code == 0 and out.strip().splitlines()[-1] == "created 6, duplicates 2, skipped 2"
