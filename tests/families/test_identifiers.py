import pytest
from hypothesis import given
from hypothesis import strategies as st

from babysteps.families import identifiers
from babysteps.families.identifiers import InvalidIdentifier, normalise, normalise_postcode


def _mod11(first9: str) -> int | None:
    total = sum(int(d) * w for d, w in zip(first9, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return 0 if check == 11 else (None if check == 10 else check)


@pytest.mark.parametrize("value", ["943 476 5919", "9434765919", "943-476-5919", "9990000026"])
def test_valid_nhs_numbers_are_normalised_to_digits(value):
    assert normalise("nhs", value) == value.replace(" ", "").replace("-", "")


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("943 476 5918", "check digit"),
        ("12345", "10 digits"),
        ("94347659191", "10 digits"),
        ("abcdefghij", "10 digits"),
        ("", "10 digits"),
    ],
)
def test_invalid_nhs_numbers_say_why(value, why):
    with pytest.raises(InvalidIdentifier, match=why):
        normalise("nhs", value)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_nhs_check_digit_rule_matches_the_published_algorithm(first9):
    check = _mod11(first9)
    if check is None:
        # A remainder giving 10 can never be a valid number, whatever the last digit.
        for last in "0123456789":
            with pytest.raises(InvalidIdentifier):
                normalise("nhs", first9 + last)
    else:
        assert normalise("nhs", first9 + str(check)) == first9 + str(check)
        wrong = (check + 1) % 10
        with pytest.raises(InvalidIdentifier):
            normalise("nhs", first9 + str(wrong))


def test_chi_number_needs_a_real_date_of_birth_and_check_digit():
    first9 = "010190123"  # born 1 January 1990
    check = _mod11(first9)
    assert check is not None
    assert normalise("chi", first9 + str(check)) == first9 + str(check)
    bad_date = "320190123"
    check = _mod11(bad_date)
    if check is not None:
        with pytest.raises(InvalidIdentifier, match="date of birth"):
            normalise("chi", bad_date + str(check))


def test_hc_number_must_be_in_the_northern_ireland_range():
    first9 = "320000001"
    check = _mod11(first9)
    assert check is not None
    assert normalise("hc", first9 + str(check))
    with pytest.raises(InvalidIdentifier, match="32 to 39"):
        normalise("hc", "9434765919")


def test_display_groups_3_3_4():
    assert identifiers.display("9434765919") == "943 476 5919"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("fy14ab", "FY1 4AB"),
        (" FY1  4AB ", "FY1 4AB"),
        ("ls97dn", "LS9 7DN"),
        ("SW1A1AA", "SW1A 1AA"),
    ],
)
def test_postcodes_are_normalised(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "FY1", "ZZZZ ZZZ", "FY1 4ABC"])
def test_bad_postcodes_are_refused(raw):
    with pytest.raises(InvalidIdentifier, match="postcode"):
        normalise_postcode(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07700900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("0044-7700-900123", "+447700900123"),
    ],
)
def test_uk_mobiles_are_normalised(raw, expected):
    assert identifiers.normalise_uk_mobile(raw) == expected


@pytest.mark.parametrize("raw", ["01253 477477", "0770090012", "+1 202 555 0100", "mobile"])
def test_non_mobile_numbers_are_refused(raw):
    with pytest.raises(InvalidIdentifier, match="UK mobile"):
        identifiers.normalise_uk_mobile(raw)
