"""What each parent has attended is kept on write (``delivery.summaries``): after every
kind of change the table equals the summary worked out from scratch, and
``manage.py rebuild_summaries`` makes it again from the records."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from babysteps.cohorts.models import Enrolment
from babysteps.delivery.models import Attendance, Contact, ParentDelivery
from babysteps.delivery.selectors import received_by_parent
from babysteps.delivery.services import AttendanceIn, contact_record, register_record
from babysteps.delivery.summaries import Received, summaries_from_scratch
from babysteps.families.merging import family_merge
from babysteps.families.models import Family
from babysteps.families.selectors import linked_counts
from babysteps.programme.models import Component
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def kept() -> dict[tuple[int, str], Received]:
    return received_by_parent(families=Family.objects.all())


def assert_consistent() -> None:
    assert kept() == summaries_from_scratch(Attendance.objects.all())


def _call(cast, family, *, mode="phone", code="S2", cohort=None, **attendance):
    return contact_record(
        family=family,
        cohort=cohort or cast.cohort_a,
        component=Component.objects.get(code=code),
        mode=mode,
        starts_at=timezone.now() - timedelta(hours=2),
        planned_minutes=60,
        actual_minutes=50,
        facilitators=[cast.midwife_a],
        recorded_by=cast.midwife_a,
        attendance=AttendanceIn(**(attendance or {"mother": True})),
    )


def test_the_summary_follows_every_kind_of_change(cast, plan):
    others = [
        EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a).family for _ in range(3)
    ]
    families = [cast.family_a, *others]
    session = plan["S1"]
    values = {
        "session": session,
        "starts_at": session.starts_at,
        "planned_minutes": 120,
        "actual_minutes": 110,
        "facilitators": [cast.midwife_a, cast.support_a],
        "recorded_by": cast.midwife_a,
    }
    # A register (written in bulk): both parents of one family, mothers of the others.
    register_record(
        **values,
        attendance={f.pk: AttendanceIn(mother=True, partner=f == cast.family_a) for f in families},
    )
    assert_consistent()
    assert kept()[(cast.family_a.pk, "partner")].attended == 1

    # A correction: one family marked absent.
    register_record(
        **{**values, "recorded_by": cast.support_a},
        attendance={f.pk: AttendanceIn(mother=True) for f in families[1:]},
    )
    assert_consistent()
    assert kept()[(cast.family_a.pk, "mother")].attended == 0

    # A call to one family, watched beforehand; then its mode changed on the contact.
    call = _call(cast, others[0], watched_videos_beforehand=True, mother=True)
    assert_consistent()
    assert kept()[(others[0].pk, "mother")].remote == 1
    call.mode = "home_visit"
    call.save()
    assert_consistent()
    assert kept()[(others[0].pk, "mother")].remote == 0

    # A line removed, and a whole contact removed.
    Attendance.objects.filter(contact=call).first().delete()
    assert_consistent()
    _call(cast, others[1], code="S3")
    Contact.objects.filter(attendances__family=others[1], component__code="S3").get().delete()
    assert_consistent()


def test_a_merge_keeps_the_summary_of_the_kept_family(cast, plan):
    keep = cast.family_a
    merge = EnrolmentFactory(family__site=cast.site_a, cohort=cast.cohort_a2).family
    _call(cast, keep, code="S2")
    _call(cast, merge, code="S3", cohort=cast.cohort_a2)
    assert (merge.pk, "mother") in kept()
    # The merge page counts records, not the summary derived from them.
    assert "parent deliverys" not in linked_counts(family=merge)
    assert linked_counts(family=merge)["attendances"] == 1
    # Recorded twice: the duplicate's place is withdrawn before the merge (one open place).
    Enrolment.objects.filter(family=merge).update(
        status=Enrolment.Status.WITHDRAWN, withdrawal_reason="Recorded twice"
    )
    family_merge(keep=keep, merge=merge, merged_by=cast.manager_a)
    assert_consistent()
    assert kept()[(keep.pk, "mother")].attended == 2
    assert not ParentDelivery.objects.filter(family_id=merge.pk).exists()


def test_rebuild_summaries_makes_the_table_again_from_the_records(cast, plan):
    _call(cast, cast.family_a, code="S2")
    _call(cast, cast.family_a, code="S3", watched_videos_beforehand=False, mother=True)
    right = kept()
    # Drift (a bulk load, a hand edit): wrong figures and a missing family.
    ParentDelivery.objects.filter(role="mother").update(attended=99)
    ParentDelivery.objects.filter(role="partner").delete()
    assert kept() != right
    out = StringIO()
    call_command("rebuild_summaries", stdout=out)
    assert kept() == right == summaries_from_scratch(Attendance.objects.all())
    assert "what each parent has attended (delivery.ParentDelivery): 2 rows" in out.getvalue()
