"""Questionnaires in the parent portal: which are due, and the pages to answer them.

The answers go through the measures app's own service (``measures.portal.portal_submit``
calls ``administration_submit`` with mode "portal"), so scoring and safety alerts are
exactly as when staff record them, and a parent whose answers trip a safety item sees the
urgent-help routes at once.

Which time point is due comes from where the family is in the programme (from
``videos.touchpoints``): "pre" until the fourth antenatal session (S4) starts, "mid"
from S6 until S7 starts, "post" from S9 on. Which questionnaires are offered: the active
ones whose full wording is loaded (a parent cannot answer from the short labels staff
read from a licensed paper copy), or those named in ``PORTAL_QUESTIONNAIRES``.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from babysteps.core.forms import add_service_errors
from babysteps.families.models import Parent
from babysteps.measures.forms import QuestionnaireItemsForm
from babysteps.measures.models import Administration, Instrument
from babysteps.measures.portal import portal_submit, urgent_help_for
from babysteps.measures.selectors import instruments_offered, questionnaire_text
from babysteps.measures.services import cohort_for_questionnaire
from babysteps.portal.identity import parent_required
from babysteps.videos.touchpoints import touchpoints_for_family

Timepoint = Administration.Timepoint


def timepoint_due(*, starts: dict[str, datetime], now: datetime) -> str | None:
    """The questionnaire time point a family is at, from its sessions' start times by
    component code (pure)."""

    def started(code: str) -> bool:
        return code in starts and starts[code] <= now

    if started("S9"):
        return Timepoint.POST
    if started("S6") and not started("S7"):
        return Timepoint.MID
    if not started("S4"):
        return Timepoint.PRE
    return None


# When a questionnaire is asked, in the parents' words (and language).
# The questionnaire this browser has just answered, for its thank-you page.
SESSION_DONE = "portal_questionnaire_done"
PARENT_TIMEPOINTS = {
    "pre": gettext_lazy("Before the programme"),
    "mid": gettext_lazy("At the end of the sessions before the birth"),
    "post": gettext_lazy("After the last session"),
    "follow_up": gettext_lazy("Follow-up"),
}


@dataclass(frozen=True)
class Due:
    instrument: Instrument
    timepoint: str
    done: bool

    @property
    def timepoint_label(self) -> str:
        return str(PARENT_TIMEPOINTS.get(self.timepoint, Timepoint(self.timepoint).label))


def offered_instruments() -> list[Instrument]:
    """Active questionnaires whose full wording is loaded (never short labels for a
    parent), limited to ``PORTAL_QUESTIONNAIRES`` when that is set."""
    wanted = settings.PORTAL_QUESTIONNAIRES
    return [
        i for i in instruments_offered() if i.has_full_wording and (not wanted or i.code in wanted)
    ]


def not_offered_here() -> list[Instrument]:
    """Active questionnaires parents cannot answer here because their licensed wording is
    not loaded (their practitioner asks them instead): the page says so."""
    wanted = settings.PORTAL_QUESTIONNAIRES
    return [
        i
        for i in instruments_offered()
        if not i.has_full_wording and (not wanted or i.code in wanted)
    ]


def questionnaires_due(*, parent: Parent, now: datetime) -> list[Due]:
    family = parent.family
    starts = {t.component.code: t.starts_at for t in touchpoints_for_family(family)}
    timepoint = timepoint_due(starts=starts, now=now)
    if timepoint is None:
        return []
    instruments = offered_instruments()
    done = set(
        Administration.objects.counted()
        .filter(
            parent=parent,
            timepoint=timepoint,
            cohort=cohort_for_questionnaire(family=family),
            instrument__in=instruments,
        )
        .values_list("instrument_id", flat=True)
    )
    return [Due(i, timepoint, i.pk in done) for i in instruments]


@never_cache
@parent_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    parent = request.portal_parent  # type: ignore[attr-defined]
    return TemplateResponse(
        request,
        "portal/questionnaires.html",
        {
            "parent": parent,
            "due": questionnaires_due(parent=parent, now=timezone.now()),
            "not_here": not_offered_here(),
        },
    )


@never_cache
@parent_required
def questionnaire_done(request: HttpRequest, instrument_code: str) -> HttpResponse:
    """The thank-you page for the questionnaire just answered (this browser's session
    remembers which); anything else goes back to the list."""
    parent = request.portal_parent  # type: ignore[attr-defined]
    done = request.session.get(SESSION_DONE)
    if not isinstance(done, int):
        return redirect("portal:questionnaires")
    administration = (
        Administration.objects.counted()
        .filter(
            pk=done,
            parent=parent,
            instrument__code=instrument_code,
        )
        .select_related("instrument")
        .first()
    )
    if administration is None:
        return redirect("portal:questionnaires")
    return TemplateResponse(
        request,
        "portal/questionnaire_done.html",
        {
            "parent": parent,
            "instrument": administration.instrument,
            **urgent_help_for(administration),
        },
    )


@never_cache
@parent_required
@require_http_methods(["GET", "POST"])
def questionnaire_answer(request: HttpRequest, instrument_code: str) -> HttpResponse:
    parent = request.portal_parent  # type: ignore[attr-defined]
    due = next(
        (
            d
            for d in questionnaires_due(parent=parent, now=timezone.now())
            if d.instrument.code == instrument_code and not d.done
        ),
        None,
    )
    if due is None:
        raise Http404("Not found.")
    text = questionnaire_text(instrument=due.instrument)
    form = QuestionnaireItemsForm(request.POST or None, text=text)
    if request.method == "POST" and form.is_valid():
        try:
            result = portal_submit(
                parent=parent,
                instrument=due.instrument,
                timepoint=due.timepoint,
                answers=form.answers(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Post, then redirect: reloading the thank-you page shows it again.
            request.session[SESSION_DONE] = result.administration.pk
            return redirect("portal:questionnaire_done", instrument_code=due.instrument.code)
    return TemplateResponse(
        request,
        "portal/questionnaire.html",
        {"parent": parent, "due": due, "text": text, "form": form},
    )
