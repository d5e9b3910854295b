"""Matching families: pure, no database."""

from datetime import date

import pytest

from babysteps.families.duplicates import Certainty, Index, Person, district, similar

DUE = date(2027, 3, 14)


def person(key=1, identifier="", first="Sarah", last="Jones", due=DUE, postcode="FY1 4AB"):
    return Person(key, identifier, first, last, due, postcode)


@pytest.mark.parametrize(
    ("postcode", "expected"), [("FY1 4AB", "FY1"), ("SW1A 1AA", "SW1A"), ("M1 1AE", "M1")]
)
def test_district_is_the_outward_code(postcode, expected):
    assert district(postcode) == expected


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (person(2, first="Sara"), True),  # one letter
        (person(2, first="Jones", last="Sarah"), True),  # names swapped
        (person(2, first="sárah", last="JONES"), True),  # accents and case
        (person(2, due=date(2027, 3, 28)), True),  # 14 days
        (person(2, due=date(2027, 3, 29)), False),  # 15 days
        (person(2, postcode="FY1 9ZZ"), True),  # same district
        (person(2, postcode="FY2 4AB"), False),  # another district
        (person(2, first="Sadia", last="Jamal"), False),
    ],
)
def test_similar_names_near_dates_in_one_district(other, expected):
    assert similar(person(), other) is expected


def test_two_different_identifiers_are_two_mothers():
    assert not similar(person(identifier="nhs:1"), person(2, identifier="nhs:2"))
    assert similar(person(identifier="nhs:1"), person(2))


def test_the_index_prefers_the_identifier_and_matches_by_name_only_where_asked():
    index = Index()
    index.add(person(10, identifier="nhs:9434765919", first="Other", last="Name"))
    index.add(person(11, first="Sara"), by_name=False)
    index.add(person(12, first="Sara"))
    assert index.match(person(identifier="nhs:9434765919")).key == 10
    assert index.match(person(identifier="nhs:9434765919")).certainty == Certainty.CERTAIN
    found = index.match(person())
    assert (found.key, found.certainty) == (12, Certainty.LIKELY)
    assert index.match(person(postcode="LS9 6HZ")) is None
