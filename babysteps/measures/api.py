"""Questionnaires in the JSON API: the instruments, and administrations with the same
scope, audit and validation as the pages (the access chokepoints (``babysteps.measures.access``) and
``measures.services.administration_submit``)."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.api.common import page_of, responses
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.families.access import family_for_user
from babysteps.measures.access import administration_for_user, administrations_for_user
from babysteps.measures.models import Administration
from babysteps.measures.selectors import instruments_offered
from babysteps.measures.services import administration_submit

router = Router()


class ItemOut(Schema):
    number: int
    label: str
    options: list[str]
    keying: str


class BandOut(Schema):
    code: str
    label: str
    min: float
    max: float


class InstrumentOut(Schema):
    code: str
    name: str
    short_name: str
    scoring_version: int
    direction: str
    licence: str
    full_wording_loaded: bool
    total_min: float
    total_max: float
    items: list[ItemOut]
    bands: list[BandOut]
    safety_items: list[int]


class AlertBrief(Schema):
    id: int
    reason: str
    detail: str
    acknowledged: bool


class AdministrationOut(Schema):
    id: int
    family: int
    parent_role: str
    cohort: int | None
    instrument: str
    timepoint: str
    mode: str
    administered_on: date
    answers: list[int]
    item_scores: list[int]
    raw_total: int
    total: float
    band: str
    caseness: bool
    safety_flag: bool
    subscales: dict[str, int]
    scoring_version: int
    recorded_at: datetime
    alerts: list[AlertBrief]


class AdministrationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[AdministrationOut]


class AdministrationIn(Schema):
    family: int
    parent_role: Literal["mother", "partner"] = "mother"
    instrument: str = Field(max_length=40)
    timepoint: Literal["pre", "mid", "post", "follow_up"]
    mode: Literal["in_person", "phone"]
    administered_on: date | None = None
    answers: list[int] = Field(max_length=200, description="0-based option positions, in order.")


def _out(a: Administration) -> dict[str, object]:
    return {
        "id": a.pk,
        "family": a.family_id,
        "parent_role": a.respondent_role,
        "cohort": a.cohort_id,
        "instrument": a.instrument.code,
        "timepoint": a.timepoint,
        "mode": a.mode,
        "administered_on": a.administered_on,
        "answers": a.answers,
        "item_scores": a.item_scores,
        "raw_total": a.raw_total,
        "total": a.total,
        "band": a.band,
        "caseness": a.is_case,
        "safety_flag": a.safety_flag,
        "subscales": a.subscales,
        "scoring_version": a.scoring_version,
        "recorded_at": a.recorded_at,
        "alerts": [
            {
                "id": alert.pk,
                "reason": alert.reason,
                "detail": alert.detail,
                "acknowledged": alert.acknowledged_at is not None,
            }
            for alert in a.alerts.all()
        ],
    }


@router.get(
    "/instruments",
    response=responses(200, list[InstrumentOut]),
    summary="The questionnaires offered, with their items and scoring rules",
)
def list_instruments(request: AuthenticatedHttpRequest) -> list[dict[str, object]]:
    out = []
    for instrument in instruments_offered():
        spec = instrument.spec
        out.append(
            {
                "code": spec.code,
                "name": spec.name,
                "short_name": spec.short_name,
                "scoring_version": instrument.version,
                "direction": spec.direction,
                "licence": spec.licence,
                "full_wording_loaded": instrument.has_full_wording,
                "total_min": spec.total_min,
                "total_max": spec.total_max,
                # Short labels only: licensed wording stays on the pages.
                "items": [
                    {
                        "number": i.number,
                        "label": i.label,
                        "options": list(i.options),
                        "keying": i.keying,
                    }
                    for i in spec.items
                ],
                "bands": [
                    {"code": b.code, "label": b.label, "min": b.min, "max": b.max}
                    for b in spec.bands
                ],
                "safety_items": [s.item for s in spec.safety_items],
            }
        )
    return out


@router.get(
    "/administrations",
    response=responses(200, AdministrationPage),
    summary="Questionnaires of the families you can see",
)
def list_administrations(
    request: AuthenticatedHttpRequest,
    family: int | None = Query(None, ge=1, le=2**62),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(25, ge=1, le=100),
) -> dict[str, object]:
    rows = administrations_for_user(request.user)
    if family is not None:
        rows = rows.filter(family_id=family)
    rows = rows.select_related("instrument").prefetch_related("alerts").order_by("-pk")
    count, items = page_of(rows, page=page, page_size=page_size)
    audit_record(
        actor=request.user,
        action=Action.LIST,
        object_type="administration",
        reason="API list",
        detail={"administration_ids": [a.pk for a in items]},
    )
    return {"count": count, "page": page, "page_size": page_size, "items": [_out(a) for a in items]}


@router.get(
    "/administrations/{administration_id}",
    response=responses(200, AdministrationOut, extra=(404,)),
    summary="One questionnaire with its answers and scores",
)
def get_administration(
    request: AuthenticatedHttpRequest, administration_id: int
) -> dict[str, object]:
    return _out(
        administration_for_user(request.user, administration_id, reason="API questionnaire")
    )


@router.post(
    "/administrations",
    response=responses(201, AdministrationOut, extra=(404,)),
    summary="Record a questionnaire (raises any safety alert at once)",
)
def create_administration(request: AuthenticatedHttpRequest, payload: AdministrationIn) -> Status:
    family = family_for_user(
        request.user, payload.family, action=Action.CHANGE, reason="API questionnaire"
    )
    parents = list(family.parents.all())
    parent = next(
        (p for p in parents if (p.role == "mother") == (payload.parent_role == "mother")), None
    )
    if parent is None:
        raise ValidationError({"parent_role": _("This family has no parent in that role.")})
    instrument = instruments_offered().filter(code=payload.instrument.strip().lower()).first()
    if instrument is None:
        raise ValidationError({"instrument": _("Unknown questionnaire.")})
    try:
        result = administration_submit(
            family=family,
            parent=parent,
            instrument=instrument,
            timepoint=payload.timepoint,
            mode=payload.mode,
            administered_on=payload.administered_on,
            answers=payload.answers,
            recorded_by=request.user,
        )
    except ValidationError as exc:
        # Item errors point at the answer's place in the list: answers.0 is item 1.
        errors = {
            (f"answers.{int(k[5:]) - 1}" if k.startswith("item_") else k): v
            for k, v in exc.message_dict.items()
        }
        raise ValidationError(errors) from None
    administration = (
        Administration.objects.select_related("instrument")
        .prefetch_related("alerts")
        .get(pk=result.administration.pk)
    )
    return Status(201, _out(administration))
