"""Families in the JSON API. Same scope and audit as the pages (the access chokepoints
(``babysteps.families.access``))."""

from datetime import date, time
from typing import Literal

from ninja import Field, Query, Router, Schema

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.api.common import page_of, responses
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.families import selectors
from babysteps.families.access import families_for_user, family_for_user
from babysteps.families.models import Family

# Recording a family gives it its first cohort place, so ``POST /families`` is written with
# the other placement endpoints in ``babysteps/cohorts/api.py`` (on this router).
router = Router()


class ParentOut(Schema):
    role: str
    given_name: str
    family_name: str
    email: str
    mobile: str


class BabyOut(Schema):
    given_name: str
    date_of_birth: date
    gestation_weeks: int
    birth_weight_grams: int
    mode_of_birth: str


class ConsentOut(Schema):
    kind: str
    given: bool
    given_by: str
    method: str
    decided_on: date


class EnrolmentOut(Schema):
    id: int
    cohort: int
    cohort_name: str
    status: str
    status_changed_on: date
    withdrawal_reason: str


class FamilyListItem(Schema):
    id: int
    site: int
    site_name: str
    mother_name: str
    partner_name: str | None
    estimated_due_date: date
    postcode: str
    cohort: int | None
    enrolment_status: str | None


class FamilyPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[FamilyListItem]


class FamilyOut(Schema):
    id: int
    site: int
    site_name: str
    estimated_due_date: date
    identifier_type: str
    identifier: str
    postcode: str
    preferred_language: str
    interpreter_needed: bool
    contact_by_email: bool
    contact_by_sms: bool
    contact_by_phone: bool
    preferred_channel: str
    safe_call_from: time | None
    safe_call_to: time | None
    safe_call_notes: str
    voicemail_ok: bool
    parents: list[ParentOut]
    babies: list[BabyOut]
    consents: list[ConsentOut]
    enrolments: list[EnrolmentOut]


class ParentIn(Schema):
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    email: str = Field("", max_length=254)
    mobile: str = Field("", max_length=20)


class PartnerIn(ParentIn):
    role: Literal["partner", "supporter"] = "partner"


class FamilyIn(Schema):
    site: int
    cohort: int | None = None
    mother: ParentIn
    partner: PartnerIn | None = None
    estimated_due_date: date
    identifier_type: Literal["nhs", "chi", "hc"] = "nhs"
    identifier: str = Field("", max_length=14)
    postcode: str = Field(max_length=10)
    preferred_language: str = Field("English", min_length=1, max_length=60)
    interpreter_needed: bool = False
    contact_by_email: bool = True
    contact_by_sms: bool = True
    contact_by_phone: bool = True
    preferred_channel: Literal["email", "sms", "phone"] = "sms"
    safe_call_from: time | None = None
    safe_call_to: time | None = None
    safe_call_notes: str = Field("", max_length=200)
    voicemail_ok: bool = False


def _list_item(family: Family) -> dict[str, object]:
    latest = family.latest_enrolment
    partner = family.partner
    return {
        "id": family.pk,
        "site": family.site_id,
        "site_name": family.site.name,
        "mother_name": family.display_name,
        "partner_name": partner.full_name if partner else None,
        "estimated_due_date": family.estimated_due_date,
        "postcode": family.postcode,
        "cohort": latest.cohort_id if latest else None,
        "enrolment_status": latest.status if latest else None,
    }


def family_record(family: Family) -> dict[str, object]:
    extra = selectors.family_detail(family=family)
    return {
        **{f: getattr(family, f) for f in FamilyOut.model_fields if hasattr(family, f)},
        "site": family.site_id,
        "site_name": family.site.name,
        "parents": extra["parents"],
        "babies": extra["babies"],
        "consents": [c for _, c in extra["current_consents"] if c is not None],  # type: ignore[attr-defined]
        "enrolments": [
            {
                "id": e.pk,
                "cohort": e.cohort_id,
                "cohort_name": e.cohort.name,
                "status": e.status,
                "status_changed_on": e.status_changed_on,
                "withdrawal_reason": e.withdrawal_reason,
            }
            for e in selectors.family_enrolments(family=family)
        ],
    }


@router.get("", response=responses(200, FamilyPage), summary="List the families you can see")
def list_families(
    request: AuthenticatedHttpRequest,
    q: str = Query("", max_length=100, description="Name, NHS number or postcode"),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(25, ge=1, le=100),
) -> dict[str, object]:
    families = selectors.family_search(families=families_for_user(request.user), query=q)
    count, rows = page_of(selectors.caseload(families=families), page=page, page_size=page_size)
    audit_record(
        actor=request.user,
        action=Action.LIST,
        object_type="family",
        reason="API list",
        detail={"searched": bool(q), "family_ids": [f.pk for f in rows]},
    )
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": [_list_item(f) for f in rows],
    }


@router.get(
    "/{family_id}",
    response=responses(200, FamilyOut, extra=(404,)),
    summary="One family's record",
)
def get_family(request: AuthenticatedHttpRequest, family_id: int) -> dict[str, object]:
    return family_record(family_for_user(request.user, family_id, reason="API record"))
