"""Spreadsheets of families for the import tests: valid rows made from a number, so a
test can say which lines it spoiled."""

import csv
import io
from datetime import date, timedelta

from babysteps.imports.rows import COLUMNS

FIRST = ["Aisha", "Bethan", "Chloe", "Dorota", "Efua", "Fatima", "Grace", "Hannah", "Ines", "Jade"]
LAST = ["Ahmed", "Brown", "Cole", "Davies", "Evans", "Fox", "Green", "Hughes", "Iqbal", "Jones"]
AREAS = ["AB", "CD", "EF"]


def nhs_number(n: int) -> str:
    """The n-th valid NHS number from 400 000 000x (modulus 11 check digit)."""
    base = 400000000 + n
    while True:
        digits = f"{base:09d}"
        check = 11 - sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return digits + str(check)
        base += 10_000_000  # another prefix, same n: keeps numbers distinct


def row(n: int, *, today: date, **changes: str) -> dict[str, str]:
    """A valid family, unlike every other n: its own district, so no two rows look alike."""
    values = {
        "mother_first_name": FIRST[n % 10],
        "mother_last_name": f"{LAST[n // 10 % 10]}-{n}",
        "mother_nhs_number": nhs_number(n),
        "estimated_due_date": (today + timedelta(days=60 + n % 90)).isoformat(),
        "postcode": f"{AREAS[n // 99 % 3]}{n % 99 + 1} 1AA",
        "mother_mobile": f"07700 900{n % 1000:03d}",
        "mother_email": f"mother{n}@example.org",
        "partner_first_name": "Sam" if n % 2 else "",
        "partner_last_name": f"Partner{n}" if n % 2 else "",
        "preferred_language": ["English", "Welsh", "Polish", "Urdu"][n % 4],
        "interpreter_needed": "yes" if n % 4 == 3 else "no",
    }
    values.update(changes)
    return values


def to_csv(rows: list[dict[str, str]], columns: tuple[str, ...] | list[str] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()
