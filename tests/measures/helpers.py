"""Recording questionnaires in tests."""

from collections.abc import Sequence

from babysteps.accounts.models import User
from babysteps.families.models import Family
from babysteps.measures.models import Instrument
from babysteps.measures.scoring import positions_for_scores
from babysteps.measures.services import SubmitResult, administration_submit

# EPDS positions with every item scoring 0 except as given (item 10 reverse-keyed).
EPDS_ALL_ZERO = [0, 0, 3, 0, 3, 3, 3, 3, 3, 3]


def epds_positions(**item_scores: int) -> list[int]:
    """EPDS positions giving these item scores (``item_10=1``), others 0."""
    spec = Instrument.objects.get(code="epds").spec
    scores = [item_scores.get(f"item_{n}", 0) for n in range(1, 11)]
    return positions_for_scores(spec, scores)


def record(
    family: Family,
    by: User | None,
    *,
    code: str = "epds",
    answers: Sequence[int] | None = None,
    timepoint: str = "pre",
    role: str = "mother",
    mode: str = "in_person",
    **kwargs: object,
) -> SubmitResult:
    instrument = Instrument.objects.get(code=code)
    parent = next(p for p in family.parents.all() if (p.role == "mother") == (role == "mother"))
    if answers is None:
        answers = EPDS_ALL_ZERO if code == "epds" else [0] * len(instrument.spec.items)
    return administration_submit(
        family=family,
        parent=parent,
        instrument=instrument,
        timepoint=timepoint,
        mode=mode,
        answers=list(answers),
        recorded_by=by,
        **kwargs,
    )
