import pytest

from babysteps.core.phones import InvalidPhoneNumber, normalise_uk_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07700900123", "07700 900123"),
        ("+44 7700 900123", "07700 900123"),
        ("0044-7700-900123", "07700 900123"),
        ("(0161) 496 0000", "0161 496 0000"),
        ("020 7946 0000", "020 7946 0000"),
        ("0300 123 4567", "0300 123 4567"),
    ],
)
def test_uk_numbers_are_normalised(raw, expected):
    assert normalise_uk_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "09001234567", "+33 1 23 45 67 89", "0770090012a"])
def test_other_input_is_refused(raw):
    with pytest.raises(InvalidPhoneNumber):
        normalise_uk_phone(raw)
