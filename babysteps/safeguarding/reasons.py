"""The starting list of reasons to signpost a family, seeded by a data migration.
NSPCC admins edit the list in the Django admin afterwards (add, reorder, retire)."""

REASONS = [
    ("low_mood", "Low mood or anxiety", "How the parent has been feeling, and for how long."),
    ("isolation", "Isolation or loneliness", "e.g. no one to turn to during lockdown."),
    ("relationship_strain", "Relationship strain", ""),
    (
        "domestic_abuse",
        "Domestic abuse concern",
        "Check the safe number and times with the parent alone. Immediate danger: call 999.",
    ),
    ("housing", "Housing worries", ""),
    ("money", "Money worries", "e.g. lost income, debt, food or fuel poverty."),
    ("substance_use", "Alcohol or drug use concern", ""),
    ("lost_contact", "Lost contact with the programme", "Missed calls or sessions, not replying."),
    ("other", "Something else (say in the summary)", ""),
]


def seed_reasons(ReferralReason) -> None:
    """Add any missing starting reason; never changes one an admin has edited."""
    for order, (code, label, help_text) in enumerate(REASONS, start=1):
        ReferralReason.objects.get_or_create(
            code=code, defaults={"label": label, "help_text": help_text, "order": order * 10}
        )
