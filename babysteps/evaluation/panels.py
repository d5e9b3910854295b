"""The evaluator's home panel: what the evaluation holds now (completers per
questionnaire), so the home page never says "nothing yet" while /evaluation/ has figures."""

from django.conf import settings

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.core.panels import Panel, register
from babysteps.evaluation.selectors import completers_by_instrument


@register("home")
def evaluator_home(request: AuthenticatedHttpRequest, obj: object) -> Panel | None:
    if not roles_for(request.user).is_evaluator:
        return None
    return Panel(
        "evaluation/panels/home.html",
        {
            "available": completers_by_instrument(site_ids=None),
            "min_n": settings.EVALUATION_MIN_CELL,
        },
        order=10,
    )
