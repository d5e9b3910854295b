"""The standard Baby Steps model, as first seeded. Editing happens in the admin afterwards;
this module is only read by the seeding migration (and the tests that check it)."""

from typing import Any, TypedDict


class ComponentSeed(TypedDict):
    code: str
    order: int
    kind: str
    phase: str
    title: str
    theme: str
    typical_duration_minutes: int
    key_messages: list[str]


def _group(
    code: str, order: int, phase: str, title: str, theme: str, msgs: list[str]
) -> ComponentSeed:
    return {
        "code": code,
        "order": order,
        "kind": "group_session",
        "phase": phase,
        "title": title,
        "theme": theme,
        "typical_duration_minutes": 120,
        "key_messages": msgs,
    }


STANDARD_CURRICULUM: list[ComponentSeed] = [
    {
        "code": "HV1",
        "order": 1,
        "kind": "home_visit",
        "phase": "antenatal",
        "title": "Antenatal home visit",
        "theme": "Getting to know the family and the programme",
        "typical_duration_minutes": 60,
        "key_messages": [
            "What Baby Steps is and what each session offers",
            "Your hopes and worries about becoming parents",
            "Baseline questionnaires and how the answers are used",
        ],
    },
    _group(
        "S1",
        2,
        "antenatal",
        "Our developing baby",
        "The development of our unborn baby",
        [
            "Your baby can hear, feel and respond before birth",
            "Talking and singing to your bump helps you bond",
        ],
    ),
    _group(
        "S2",
        3,
        "antenatal",
        "Changes for me and us",
        "Changes for me and us",
        [
            "Becoming parents changes your relationship",
            "Sharing feelings and tasks with your partner",
        ],
    ),
    _group(
        "S3",
        4,
        "antenatal",
        "Our health and wellbeing",
        "Our health and wellbeing",
        [
            "Low mood and anxiety are common and help is available",
            "Looking after yourselves: sleep, food, movement, support",
        ],
    ),
    _group(
        "S4",
        5,
        "antenatal",
        "Giving birth",
        "Giving birth and meeting our baby",
        [
            "What happens in labour and the choices you have",
            "The partner's role at the birth",
        ],
    ),
    _group(
        "S5",
        6,
        "antenatal",
        "Meeting our baby",
        "Giving birth and meeting our baby",
        [
            "Skin-to-skin contact and the first hours",
            "Feeding your baby: breastfeeding and responsive feeding",
        ],
    ),
    _group(
        "S6",
        7,
        "antenatal",
        "Caring for our baby",
        "Caring for our baby",
        [
            "Safe sleep and practical baby care",
            "Understanding crying and coping when it is hard",
        ],
    ),
    {
        "code": "HV2",
        "order": 8,
        "kind": "home_visit",
        "phase": "postnatal",
        "title": "Postnatal home visit",
        "theme": "Welcoming our baby",
        "typical_duration_minutes": 60,
        "key_messages": [
            "How the birth went and how you are feeling",
            "Reading your baby's cues",
        ],
    },
    _group(
        "S7",
        9,
        "postnatal",
        "Getting to know our baby",
        "Caring for our baby",
        [
            "Your baby's brain grows through loving interaction",
            "Play and talk from the start",
        ],
    ),
    _group(
        "S8",
        10,
        "postnatal",
        "Us as parents",
        "Changes for me and us",
        [
            "Keeping your relationship strong with a new baby",
            "Managing conflict and tiredness together",
        ],
    ),
    _group(
        "S9",
        11,
        "postnatal",
        "Who is there for us",
        "Who is there for us (people and services)",
        [
            "Friends, family and local services that can help",
            "Healthy Child Programme reviews and where to go for support",
        ],
    ),
]


def seed_curriculum(component_model: Any, key_message_model: Any) -> None:
    """Create the standard components that are missing. Takes the model classes so the
    data migration can pass its historical models."""
    for spec in STANDARD_CURRICULUM:
        fields = {k: v for k, v in spec.items() if k != "key_messages"}
        component, created = component_model.objects.get_or_create(
            code=spec["code"], defaults=fields
        )
        if created:
            for order, text in enumerate(spec["key_messages"], start=1):
                key_message_model.objects.create(component=component, order=order, text=text)
