"""The instruments for the 2015 evaluation's domains: the Rosenberg Self-Esteem Scale and
the CSI-4 score as published (keying written out here, independently of the files);
Condon's attachment scales ship switched off until their keying is confirmed."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from babysteps.measures.catalogue import shipped_definitions
from babysteps.measures.definition import parse_definition
from babysteps.measures.models import Instrument
from babysteps.measures.scoring import score

SPECS = {d["code"]: parse_definition(d) for d in shipped_definitions()}
DEFINITIONS = {d["code"]: d for d in shipped_definitions()}

# Rosenberg (1965), options printed Strongly disagree .. Strongly agree: items 1, 3, 4, 7
# and 10 score SD=0, D=1, A=2, SA=3; items 2, 5, 6, 8 and 9 the other way round.
RSES_REVERSED = {2, 5, 6, 8, 9}
# CSI-4 (Funk & Rogge 2007): item 1 scores 0-6, items 2-4 0-5, in printed order.
CSI4_OPTIONS = [7, 6, 6, 6]


@given(st.lists(st.integers(0, 3), min_size=10, max_size=10))
def test_rosenberg_scores_as_published(answers):
    result = score(SPECS["rses"], answers)
    expected = [3 - a if n in RSES_REVERSED else a for n, a in enumerate(answers, start=1)]
    assert list(result.item_scores) == expected
    assert result.total == sum(expected)
    assert 0 <= result.total <= 30
    assert result.is_case == (result.total < 15)  # low self-esteem below 15
    assert result.band == (
        "low_self_esteem"
        if result.total <= 14
        else "normal_self_esteem"
        if result.total <= 25
        else "high_self_esteem"
    )


@given(st.tuples(*(st.integers(0, n - 1) for n in CSI4_OPTIONS)))
def test_csi4_scores_as_published(answers):
    result = score(SPECS["csi4"], list(answers))
    assert list(result.item_scores) == list(answers)
    assert result.total == sum(answers)
    assert 0 <= result.total <= 21
    assert result.is_case == (result.total < 13.5)  # the distress cut-off


def test_out_of_range_csi4_answers_are_refused():
    with pytest.raises(ValueError, match="item_2"):
        score(SPECS["csi4"], [6, 6, 0, 0])


@pytest.mark.parametrize("code", ["rses", "csi4"])
def test_each_carries_its_licence_notice(code):
    assert "free to use" in SPECS[code].licence


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["maas", "paas", "mpas"])
def test_condons_scales_ship_switched_off_with_the_reason(code, instruments):
    definition = DEFINITIONS[code]
    assert definition["active"] is False and definition["keying_confirmed"] is False
    assert "not been checked" in definition["inactive_reason"]
    instrument = Instrument.objects.get(code=code)
    assert instrument.active is False
    instrument.active = True
    with pytest.raises(ValidationError, match="keying is not confirmed"):
        instrument.full_clean()


@pytest.mark.django_db
def test_rosenberg_and_csi4_are_offered(instruments):
    assert set(
        Instrument.objects.filter(code__in=["rses", "csi4"], active=True).values_list(
            "code", flat=True
        )
    ) == {"rses", "csi4"}
