import pytest

from babysteps.core.phones import InvalidPhoneNumber, display, stored_e164, uk_mobile, uk_phone


@pytest.mark.parametrize(
    ("raw", "stored", "shown"),
    [
        ("07700900123", "+447700900123", "07700 900123"),
        ("+44 7700 900123", "+447700900123", "07700 900123"),
        ("+44 (0)7700 900123", "+447700900123", "07700 900123"),
        ("0044-7700-900123", "+447700900123", "07700 900123"),
        ("(0161) 496 0000", "+441614960000", "0161 496 0000"),
        ("020 7946 0000", "+442079460000", "020 7946 0000"),
        ("0300 123 4567", "+443001234567", "0300 123 4567"),
        # Grouped by its real area code (five digits), not as 0163 296 0123.
        ("01632 960123", "+441632960123", "01632 960123"),
        # Freephone: a safe number may be one (the NSPCC helpline is 0808 800 5000).
        ("0808 800 5000", "+448088005000", "0808 800 5000"),
        # Jersey shares +44 and runs Baby Steps.
        ("01534 716000", "+441534716000", "01534 716000"),
    ],
)
def test_uk_numbers_are_stored_in_e164_and_shown_nationally(raw, stored, shown):
    assert uk_phone(raw) == stored
    assert display(stored) == shown


@pytest.mark.parametrize(
    "raw",
    ["", "12345", "09001234567", "0909 879 0000", "+33 1 23 45 67 89", "0770090012a", "07624"],
)
def test_other_input_is_refused(raw):
    with pytest.raises(InvalidPhoneNumber):
        uk_phone(raw)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("07911 123456", "+447911123456"),
    ],
)
def test_mobiles_are_stored_in_e164(raw, stored):
    assert uk_mobile(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "07000 123456",  # a personal number (070), not a mobile
        "0161 496 0000",  # a landline
        "0808 800 5000",  # freephone
        "07624",  # too short
    ],
)
def test_numbers_that_take_no_texts_are_not_mobiles(raw):
    with pytest.raises(InvalidPhoneNumber):
        uk_mobile(raw)


def test_migrating_an_old_row_keeps_what_does_not_parse():
    assert stored_e164("07700 900123") == "+447700900123"
    assert stored_e164("not a number") == "not a number"
    assert display("") == ""
