"""Scoring against MEASURES.md, with the rules written out here independently of the
definition files, and hypothesis generating answers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from babysteps.measures.catalogue import shipped_definitions
from babysteps.measures.definition import DefinitionError, parse_definition
from babysteps.measures.scoring import AnswerError, score

SPECS = {d["code"]: parse_definition(d) for d in shipped_definitions()}

# MEASURES.md, transcribed: items, positions, keying, total range.
EPDS_REVERSED = {3, 5, 6, 7, 8, 9, 10}
SWEMWBS_TABLE = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98,
    23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03,
    31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}  # fmt: skip


def expected_item_score(code: str, item: int, position: int) -> int:
    if code == "epds":
        return 3 - position if item in EPDS_REVERSED else position
    if code in ("phq9", "gad7"):
        return position
    return position + 1  # wemwbs, swemwbs


SHAPE = {
    "epds": (10, 4, 0, 30),
    "phq9": (9, 4, 0, 27),
    "gad7": (7, 4, 0, 21),
    "wemwbs": (14, 5, 14, 70),
}


def answers_for(code: str) -> st.SearchStrategy[list[int]]:
    spec = SPECS[code]
    return st.lists(
        st.integers(0, spec.items[0].positions - 1),
        min_size=len(spec.items),
        max_size=len(spec.items),
    )


@pytest.mark.parametrize("code", sorted(SHAPE))
def test_the_shipped_definitions_have_the_shape_of_measures_md(code):
    items, positions, low, high = SHAPE[code]
    spec = SPECS[code]
    assert len(spec.items) == items
    assert all(i.positions == positions for i in spec.items)
    assert (spec.total_min, spec.total_max) == (low, high)


@pytest.mark.parametrize("code", ["epds", "phq9", "gad7", "wemwbs", "swemwbs"])
@given(data=st.data())
def test_totals_stay_in_range_and_keying_matches_measures_md(code, data):
    spec = SPECS[code]
    answers = data.draw(answers_for(code))
    result = score(spec, answers)
    pairs = zip(answers, result.item_scores, strict=True)
    for number, (position, item_score) in enumerate(pairs, start=1):
        assert item_score == expected_item_score(code, number, position), (code, number)
    assert result.raw_total == sum(result.item_scores)
    assert spec.total_min <= result.total <= spec.total_max
    if code == "swemwbs":
        assert result.total == SWEMWBS_TABLE[result.raw_total]
    else:
        assert result.total == result.raw_total


@given(answers=answers_for("epds"))
def test_epds_bands_caseness_anxiety_subscale_and_item_10(answers):
    result = score(SPECS["epds"], answers)
    total = result.raw_total
    assert result.band == (
        "probable_depression"
        if total >= 13
        else "possible_depression"
        if total >= 10
        else "below_threshold"
    )
    assert result.is_case == (total >= 13)
    assert result.highest_band_alert == (total >= 13)
    anxiety = sum(result.item_scores[i - 1] for i in (3, 4, 5))
    assert result.subscales["epds3a"] == anxiety and 0 <= anxiety <= 9
    assert result.subscale_flags["epds3a"] == (anxiety >= 6)
    assert result.safety_flag == (result.item_scores[9] > 0)


@given(answers=answers_for("phq9"))
def test_phq9_bands_and_item_9(answers):
    result = score(SPECS["phq9"], answers)
    total = result.raw_total
    bands = [
        (4, "minimal"),
        (9, "mild"),
        (14, "moderate"),
        (19, "moderately_severe"),
        (27, "severe"),
    ]
    assert result.band == next(code for top, code in bands if total <= top)
    assert result.is_case == (total >= 10)
    assert result.safety_flag == (answers[8] > 0)


@given(answers=answers_for("gad7"))
def test_gad7_bands_and_no_safety_item(answers):
    result = score(SPECS["gad7"], answers)
    bands = [(4, "minimal"), (9, "mild"), (14, "moderate"), (21, "severe")]
    assert result.band == next(code for top, code in bands if result.raw_total <= top)
    assert result.is_case == (result.raw_total >= 10)
    assert not result.safety_flag


@given(answers=answers_for("wemwbs"))
def test_wemwbs_low_wellbeing_is_the_case(answers):
    result = score(SPECS["wemwbs"], answers)
    assert result.is_case == (result.raw_total <= 40)
    assert not result.safety_flag and not result.highest_band_alert


def test_swemwbs_items_are_wemwbs_items_1_2_3_6_7_9_11():
    wemwbs = [i.label for i in SPECS["wemwbs"].items]
    assert [i.label for i in SPECS["swemwbs"].items] == [
        wemwbs[n - 1] for n in (1, 2, 3, 6, 7, 9, 11)
    ]


@pytest.mark.parametrize("raw", range(7, 36))
def test_swemwbs_metric_matches_the_table_for_every_raw_score(raw):
    # Build answers with this raw total (each item scores 1-5).
    scores = [1] * 7
    remaining = raw - 7
    for i in range(7):
        add = min(4, remaining)
        scores[i] += add
        remaining -= add
    result = score(SPECS["swemwbs"], [s - 1 for s in scores])
    assert result.raw_total == raw
    assert result.total == SWEMWBS_TABLE[raw]
    assert result.as_dict()["total"] == SWEMWBS_TABLE[raw]
    assert result.as_dict()["raw_total"] == raw


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([0] * 9, "answers"),
        ([0] * 11, "answers"),
        ([0] * 9 + [4], "item_10"),
        ([0] * 9 + [-1], "item_10"),
        (["x"] + [0] * 9, "item_1"),
        ([None] + [0] * 9, "item_1"),
        ([True] + [0] * 9, "item_1"),
        ([0.5] + [0] * 9, "item_1"),
    ],
)
def test_bad_answers_are_errors_never_zeros(answers, field):
    with pytest.raises(AnswerError) as caught:
        score(SPECS["epds"], answers)
    assert field in caught.value.errors


def test_a_broken_definition_lists_every_problem():
    data = dict(shipped_definitions()[0])
    data.update(
        direction="sideways",
        bands=[{"code": "a", "min": 0, "max": 10}, {"code": "b", "min": 5, "max": 30}],
    )
    data["safety_items"] = [{"item": 99}]
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    text = " ".join(caught.value.problems)
    assert "direction" in text and "overlap" in text and "item 99" in text


def test_every_problem_names_its_location():
    data = dict(shipped_definitions()[0])
    items = [dict(i) for i in data["items"]]
    items[2]["keying"] = "backwards"
    data.update(items=items, total={"min": 0}, reliable_change={})
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    problems = caught.value.problems
    assert any(p.startswith("items.2.keying:") for p in problems), problems
    assert "total.max: is missing." in problems
    assert any(p.startswith("reliable_change:") and "retest_r" in p for p in problems), problems
