"""Cohorts in the JSON API."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.api.common import page_of, responses
from babysteps.audit.models import Action
from babysteps.cohorts import selectors
from babysteps.cohorts.access import cohort_for_user, cohorts_for_user
from babysteps.cohorts.models import Cohort
from babysteps.cohorts.services import family_register
from babysteps.families.access import can_record_family_without_cohort, family_for_user
from babysteps.families.api import FamilyIn, FamilyOut, family_record
from babysteps.families.api import router as families_router
from babysteps.families.models import Parent
from babysteps.families.services import ParentDetails
from babysteps.licensing.access import sites_for_user

router = Router()


class FacilitatorOut(Schema):
    id: int
    name: str
    professional_role: str | None
    trained: bool


class PlannedSessionOut(Schema):
    id: int
    component: str
    title: str
    starts_at: datetime
    duration_minutes: int
    location: str


class CohortItem(Schema):
    id: int
    site: int
    site_name: str
    name: str
    start_date: date
    due_date_from: date
    due_date_to: date
    capacity: int
    places_taken: int
    delivery_mode: str
    meets_cofacilitation: bool


class CohortPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CohortItem]


class RosterItem(Schema):
    family: int
    status: str


class CohortOut(CohortItem):
    venue: str
    cofacilitation_problems: list[str]
    facilitators: list[FacilitatorOut]
    schedule: list[PlannedSessionOut]
    families: list[RosterItem]


def _item(cohort: Cohort) -> dict[str, object]:
    cofac = selectors.cohort_cofacilitation(cohort=cohort)
    return {
        "id": cohort.pk,
        "site": cohort.site_id,
        "site_name": cohort.site.name,
        "name": cohort.name,
        "start_date": cohort.start_date,
        "due_date_from": cohort.due_date_from,
        "due_date_to": cohort.due_date_to,
        "capacity": cohort.capacity,
        "places_taken": cohort.places_taken,  # type: ignore[attr-defined]
        "delivery_mode": cohort.delivery_mode,
        "meets_cofacilitation": cofac.meets_condition,
    }


@router.get("", response=responses(200, CohortPage), summary="List the cohorts you can see")
def list_cohorts(
    request: AuthenticatedHttpRequest,
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(25, ge=1, le=100),
) -> dict[str, object]:
    cohorts = selectors.cohorts_with_staffing(cohorts_for_user(request.user))
    count, rows = page_of(cohorts.order_by("-start_date", "pk"), page=page, page_size=page_size)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": [_item(c) for c in rows],
    }


@router.get("/{cohort_id}", response=responses(200, CohortOut, extra=(404,)), summary="One cohort")
def get_cohort(request: AuthenticatedHttpRequest, cohort_id: int) -> dict[str, object]:
    cohort = cohort_for_user(request.user, cohort_id, reason="API cohort")
    staffed = selectors.cohorts_with_staffing(Cohort.objects.filter(pk=cohort.pk)).get()
    cofac = selectors.cohort_cofacilitation(cohort=staffed)
    return {
        **_item(staffed),
        "venue": staffed.venue,
        "cofacilitation_problems": cofac.problems,
        "facilitators": [
            {
                "id": link.user_id,
                "name": link.user.full_name,
                "professional_role": getattr(link.user, "practitioner", None)
                and link.user.practitioner.professional_role,
                "trained": bool(
                    getattr(link.user, "practitioner", None) and link.user.practitioner.is_trained()
                ),
            }
            for link in staffed.facilitator_links.all()
        ],
        "schedule": [
            {
                "id": s.pk,
                "component": s.component.code,
                "title": s.component.title,
                "starts_at": s.starts_at,
                "duration_minutes": s.duration_minutes,
                "location": s.location,
            }
            for s in selectors.cohort_schedule(cohort=cohort)
        ],
        "families": [
            {"family": e.family_id, "status": e.status}
            for e in selectors.cohort_roster(cohort=cohort)
        ],
    }


# --- Recording a family, with its first place --------------------------------------------


@families_router.post(
    "",
    response=responses(201, FamilyOut, extra=(403,)),
    summary="Record a family (and place it in a cohort)",
)
def create_family(request: AuthenticatedHttpRequest, payload: FamilyIn) -> Status:
    site = sites_for_user(request.user).filter(pk=payload.site).first()
    if site is None:
        raise ValidationError({"site": _("Unknown site.")})
    cohort = None
    if payload.cohort is not None:
        cohort = cohorts_for_user(request.user).filter(pk=payload.cohort).first()
        if cohort is None:
            raise ValidationError({"cohort": _("Unknown cohort.")})
    elif not can_record_family_without_cohort(request.user, site):
        raise ValidationError({"cohort": _("Choose one of your cohorts for the family.")})
    data = payload.dict(exclude={"site", "cohort", "mother", "partner"})
    family = family_register(
        site=site,
        cohort=cohort,
        created_by=request.user,
        mother=ParentDetails(**payload.mother.dict(), role=Parent.Role.MOTHER),
        partner=ParentDetails(**payload.partner.dict()) if payload.partner else None,
        **data,
    )
    family = family_for_user(request.user, family.pk, action=Action.CHANGE)
    return Status(201, family_record(family))
