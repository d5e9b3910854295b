from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from babysteps.licensing.models import Licence
from babysteps.licensing.periodic import refresh_licences
from babysteps.licensing.services import licence_change_status, licences_refresh
from tests.factories import LicenceFactory, SiteFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_licence_follows_its_life_cycle():
    licence = LicenceFactory(status=Licence.Status.ENQUIRY, start_date=None, end_date=None)
    licence_change_status(licence=licence, status="readiness")
    licence_change_status(licence=licence, status="approved")
    with pytest.raises(ValidationError, match="needs start and end dates"):
        licence_change_status(licence=licence, status="active")
    licence.refresh_from_db()
    licence_change_status(
        licence=licence, status="active", start_date=date(2026, 1, 1), end_date=date(2029, 1, 1)
    )
    with pytest.raises(ValidationError, match="cannot go from Active to Enquiry"):
        licence_change_status(licence=licence, status="enquiry")


@pytest.mark.parametrize(
    ("status", "start", "end", "on", "delivers"),
    [
        ("active", date(2020, 1, 1), date(2030, 1, 1), date(2026, 1, 1), True),
        ("renewal_due", date(2020, 1, 1), date(2030, 1, 1), date(2026, 1, 1), True),
        ("suspended", date(2020, 1, 1), date(2030, 1, 1), date(2026, 1, 1), False),
        ("active", date(2020, 1, 1), date(2025, 1, 1), date(2026, 1, 1), False),
        ("active", date(2027, 1, 1), date(2030, 1, 1), date(2026, 1, 1), False),
    ],
)
def test_a_site_delivers_only_while_its_licence_is_in_force(status, start, end, on, delivers):
    site = SiteFactory(licence__status=status, licence__start_date=start, licence__end_date=end)
    assert site.can_deliver(on) is delivers


def test_licences_refresh_marks_renewal_and_expiry_once_and_tells_admins(cast):
    today = date(2026, 6, 1)
    renewing = LicenceFactory(start_date=date(2023, 1, 1), end_date=today + timedelta(days=60))
    expired = LicenceFactory(start_date=date(2023, 1, 1), end_date=today - timedelta(days=1))
    fine = LicenceFactory(start_date=date(2023, 1, 1), end_date=today + timedelta(days=400))
    changed = refresh_licences(datetime.combine(today, time(12), tzinfo=LONDON))
    assert changed == 2
    for licence, status in ((renewing, "renewal_due"), (expired, "expired"), (fine, "active")):
        licence.refresh_from_db()
        assert licence.status == status
    assert licences_refresh(today=today) == []
    assert refresh_licences(datetime.combine(today, time(12), tzinfo=LONDON)) == 0
    from babysteps.notifications.models import Message

    assert Message.objects.filter(user=cast.admin).count() == 2
    assert not mail.outbox or all(cast.admin.email in m.to for m in mail.outbox)


def test_the_admin_cannot_change_a_status_the_pipeline_owns(client_for, cast):
    licence = cast.site_a.licence
    client = client_for(cast.admin)
    response = client.post(
        f"/admin/licensing/licence/{licence.pk}/change/",
        {
            "organisation": licence.organisation_id,
            "reference": licence.reference,
            "status": "enquiry",
            "start_date": licence.start_date.isoformat(),
            "end_date": licence.end_date.isoformat(),
        },
    )
    # The status is read-only there: the pipeline's pages move it, step by step.
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.status == "active"
    page = client.get(f"/admin/licensing/licence/{licence.pk}/change/").content.decode()
    assert 'name="status"' not in page
