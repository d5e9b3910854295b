"""The readiness checklist an organisation completes before its licence is approved (kept
as data; these are the items the platform starts with). Pure: no Django."""

from typing import Any

ITEMS: tuple[tuple[str, str, int], ...] = (
    ("commissioner_sign_off", "Commissioner sign-off for delivering Baby Steps", 1),
    ("safeguarding_lead", "A named safeguarding lead", 2),
    (
        "staffing_plan",
        "A staffing plan that meets co-facilitation (a health and a children's services "
        "practitioner for every group)",
        3,
    ),
    ("venues", "Venues for the group sessions", 4),
    ("data_sharing", "A data-sharing agreement with the NSPCC", 5),
)


def seed_readiness(model: Any) -> None:
    """Create the starting items (a data migration and the tests call this)."""
    for code, label, order in ITEMS:
        model.objects.get_or_create(code=code, defaults={"label": label, "order": order})
