"""What the parent portal calls to take a questionnaire: the same service as staff use,
with mode "portal", and the urgent-help routes to show at once when a safety item trips.

Usage in a portal view (under the portal's parent sign-in)::

    text = questionnaire_text(instrument=instrument)          # measures.selectors
    form = QuestionnaireItemsForm(request.POST or None, text=text)  # measures.forms
    if request.method == "POST" and form.is_valid():
        try:
            result = portal_submit(parent=parent, instrument=instrument,
                                   timepoint="post", answers=form.answers())
        except ValidationError as exc:
            add_service_errors(form, exc)                      # core.forms
        else:
            # render a thank-you page with urgent_help_context(result); when
            # result.urgent_help, {% include "measures/_urgent_help.html" %} at the top
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babysteps.families.models import Parent
from babysteps.measures.models import Administration, Instrument
from babysteps.measures.services import SubmitResult, administration_submit


@dataclass(frozen=True)
class HelpRoute:
    name: str
    how: str


URGENT_HELP_ROUTES = (
    HelpRoute("999", "In an emergency, or if you might act on these thoughts."),
    HelpRoute("NHS 111", "Urgent advice, free, any time: choose the mental health option."),
    HelpRoute("Your GP", "Ask for an urgent appointment today."),
    HelpRoute("Samaritans, 116 123", "Free, day or night, to talk to someone."),
)
URGENT_HELP_TEMPLATE = "measures/_urgent_help.html"


def portal_submit(
    *, parent: Parent, instrument: Instrument, timepoint: str, answers: Sequence[Any]
) -> SubmitResult:
    """A parent's own answers, stored and scored as staff-recorded ones are, with any
    alert raised in the same transaction. ``result.urgent_help`` says to show the routes."""
    return administration_submit(
        family=parent.family,
        parent=parent,
        instrument=instrument,
        timepoint=timepoint,
        mode=Administration.Mode.PORTAL,
        answers=answers,
        recorded_by=None,
        actor_label=f"parent:{parent.pk}",
    )


def urgent_help_context(result: SubmitResult) -> dict[str, Any]:
    """Template context for the portal's result page."""
    return urgent_help_for(result.administration)


def urgent_help_for(administration: Administration) -> dict[str, Any]:
    """The result page's context from the stored questionnaire: the urgent-help routes
    when a safety item was answered above 0 (so a reload shows them again)."""
    return {
        "urgent_help": administration.safety_flag,
        "urgent_help_template": URGENT_HELP_TEMPLATE,
        "urgent_help_routes": URGENT_HELP_ROUTES,
    }
