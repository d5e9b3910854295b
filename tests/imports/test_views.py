"""The import pages: upload, preview, confirm; who may use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from babysteps.audit.models import AuditEvent
from babysteps.families.models import Family
from tests.imports.files import nhs_number, row, to_csv

pytestmark = pytest.mark.django_db
UPLOAD = reverse("imports:upload")
CONFIRM = reverse("imports:confirm")


def upload(client, site, rows, cohort=None):
    data = {"site": site.pk, "file": SimpleUploadedFile("families.csv", to_csv(rows))}
    if cohort is not None:
        data["cohort"] = cohort.pk
    return client.post(UPLOAD, data)


@pytest.mark.parametrize(
    ("who", "status"),
    [("manager_a", 200), ("admin", 200), ("midwife_a", 403), ("evaluator", 403)],
)
def test_only_managers_and_admins_import(cast, client_for, who, status):
    client = client_for(getattr(cast, who))
    assert client.get(UPLOAD).status_code == status
    assert client.get(reverse("imports:template")).status_code == status


def test_the_template_holds_the_columns(cast, client_for):
    response = client_for(cast.manager_a).get(reverse("imports:template"))
    assert response.content.decode().strip() == (
        "mother_first_name,mother_last_name,mother_nhs_number,estimated_due_date,postcode,"
        "mother_mobile,mother_email,partner_first_name,partner_last_name,preferred_language,"
        "interpreter_needed"
    )


def test_a_manager_cannot_import_into_another_site(cast, client_for):
    response = upload(client_for(cast.manager_a), cast.site_b, [row(1, today=timezone.localdate())])
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Family.objects.filter(identifier=nhs_number(1)).exists()


def test_preview_shows_problems_by_line_and_saves_nothing(cast, client_for):
    today = timezone.localdate()
    rows = [row(1, today=today), row(2, today=today, postcode="nowhere")]
    response = upload(client_for(cast.manager_a), cast.site_a, rows)
    page = response.content.decode()
    assert "The file cannot be imported" in page
    assert "<td>3</td><td><code>postcode</code></td>" in page
    assert 'name="sheet"' not in page
    assert not Family.objects.filter(identifier=nhs_number(1)).exists()


def test_preview_then_confirm_imports_with_the_managers_choices(cast, client_for):
    today = timezone.localdate()
    client = client_for(cast.manager_a)
    first = client.post(
        CONFIRM, {"sheet": _token(upload(client, cast.site_a, [row(1, today=today)]))}
    )
    assert first.status_code == 302
    family = Family.objects.get(identifier=nhs_number(1))
    assert family.created_by == cast.manager_a
    near = row(
        9,
        today=today,
        mother_first_name=family.mother.given_name,
        mother_last_name=family.mother.family_name + "e",
        mother_nhs_number="",
        estimated_due_date=family.estimated_due_date.isoformat(),
        postcode=family.postcode,
    )
    preview = upload(client, cast.site_a, [near, row(10, today=today)], cohort=cast.cohort_a)
    page = preview.content.decode()
    assert "Likely: similar name" in page
    assert f'href="/families/{family.pk}/"' in page
    assert Family.objects.filter(site=cast.site_a).count() == 4  # nothing saved by a preview

    response = client.post(CONFIRM, {"sheet": _token(preview), "create": ["2"]})
    assert response.status_code == 302
    assert Family.objects.filter(identifier=nhs_number(10)).get().enrolments.count() == 1
    assert Family.objects.filter(parents__family_name=near["mother_last_name"]).exists()
    event = AuditEvent.objects.filter(object_type="family_import").latest("pk")
    assert event.actor_id == cast.manager_a.pk
    assert event.detail == {
        "rows": 2,
        "created": 2,
        "duplicates": 1,
        "skipped": 0,
        "cohort": cast.cohort_a.pk,
    }


def test_a_changed_or_foreign_preview_is_refused(cast, client_for):
    today = timezone.localdate()
    token = _token(upload(client_for(cast.manager_a), cast.site_a, [row(1, today=today)]))
    response = client_for(cast.manager_a).post(CONFIRM, {"sheet": token[:-2] + "xx"})
    assert response.status_code == 302
    # Another site's manager cannot use site A's preview.
    assert client_for(cast.manager_b).post(CONFIRM, {"sheet": token}).status_code == 404
    assert not Family.objects.filter(identifier=nhs_number(1)).exists()


def _token(response) -> str:
    page = response.content.decode()
    start = page.index('name="sheet" value="') + len('name="sheet" value="')
    return page[start : page.index('"', start)]
