"""The evaluation page and its exports. Pseudonymised aggregates only: evaluators and
NSPCC admins see every site, site managers their own. Only families consenting to the
evaluation are counted, and figures from fewer than 5 completers are suppressed."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.cohorts.models import Cohort
from babysteps.core import charts
from babysteps.core.replica import reads_from_replica
from babysteps.core.spreadsheets import csv_chunks
from babysteps.evaluation import births, exports, participants, selectors, statfiles, statistics
from babysteps.evaluation.access import evaluation_site_ids, may_export_participants
from babysteps.evaluation.forms import EvaluationFilterForm
from babysteps.evaluation.models import BirthOutcome
from babysteps.evaluation.participants import participant_table
from babysteps.licensing.models import Site

evaluators = staff_required(lambda roles: roles.is_admin or roles.is_evaluator or roles.is_manager)


# Above this many cohorts in scope, the cohort filter lists those of the chosen site only
# (NSPCC-wide there are 10,000: a 1 MB drop-down nobody can use).
COHORT_CHOICES_MAX = 300


def _cohort_choices(
    request: AuthenticatedHttpRequest, cohorts: QuerySet[Cohort]
) -> QuerySet[Cohort]:
    site = request.GET.get("site", "")
    if site.isdigit():
        return cohorts.filter(site_id=int(site))
    if cohorts.count() <= COHORT_CHOICES_MAX:
        return cohorts
    wanted = request.GET.get("cohort", "")
    return cohorts.filter(pk=int(wanted)) if wanted.isdigit() else cohorts.none()


def _filter_form(
    request: AuthenticatedHttpRequest,
) -> tuple[EvaluationFilterForm, frozenset[int] | None]:
    site_ids = evaluation_site_ids(request.user)
    sites = Site.objects.order_by("name")
    cohorts = Cohort.objects.select_related("site").order_by("site__name", "-start_date")
    if site_ids is not None:
        sites = sites.filter(pk__in=site_ids)
        cohorts = cohorts.filter(site_id__in=site_ids)
    form = EvaluationFilterForm(
        request.GET or None, sites=sites, cohorts=_cohort_choices(request, cohorts)
    )
    return form, site_ids


def _report(
    request: AuthenticatedHttpRequest,
) -> tuple[EvaluationFilterForm, selectors.Report, selectors.Dataset]:
    form, site_ids = _filter_form(request)
    report, data = _report_for(form, site_ids)
    return form, report, data


def _report_for(
    form: EvaluationFilterForm, site_ids: frozenset[int] | None
) -> tuple[selectors.Report, selectors.Dataset]:
    filters = form.filters()
    mode_a, mode_b = form.modes()
    data = selectors.dataset(filters=filters, site_ids=site_ids)
    report = selectors.report(
        data=data,
        filters=filters,
        mode_a=mode_a,
        mode_b=mode_b,
        mixed_model=form.wants_mixed_model(),
    )
    return report, data


def _invalid(form: EvaluationFilterForm) -> bool:
    """Wrong filters on a download: refused (the page shows them beside the form; a file
    would silently hold every row instead, as if no filter had been asked for)."""
    return form.is_bound and not form.is_valid()


def _refused(form: EvaluationFilterForm) -> HttpResponse:
    problems = "; ".join(
        f"{form.fields[name].label if name in form.fields else name}: "
        + " ".join(str(m) for m in messages)
        for name, messages in form.errors.items()
    )
    return HttpResponse(
        _("The filters are not valid, so nothing was exported: %(problems)s")
        % {"problems": problems},
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _point(figures: dict[str, Any], side: str) -> tuple[float, float, float] | None:
    mean = figures.get(f"{side}_mean")
    interval = statistics.mean_ci(mean, figures.get(f"{side}_sd"), figures.get("n_pairs"))
    return (mean, *interval) if interval and mean is not None else None


def _charts(item: selectors.InstrumentReport, ident: str) -> list[str]:
    spec = item.instrument.spec
    axis = (float(spec.total_min), float(spec.total_max))
    rows = [("All", item.overall), *item.groups]
    score = f"{spec.short_name} total"
    means = charts.means_chart(
        chart_id=f"{ident}-means",
        title=f"{spec.short_name}: pre and post means with 95% intervals",
        groups=[(label, _point(f, "pre"), _point(f, "post")) for label, f in rows],
        axis=axis,
        y_label=score,
    )
    categories = charts.categories_chart(
        chart_id=f"{ident}-categories",
        title=f"{spec.short_name}: recovered, improved, unchanged and deteriorated",
        rows=[
            (label, None if f["suppressed"] else {k: f[k] or 0 for k in statistics.CATEGORIES})
            for label, f in rows
        ],
    )
    paired = charts.paired_chart(
        chart_id=f"{ident}-paired",
        title=f"{spec.short_name}: each completer's change",
        pre=item.pairs[0],
        post=item.pairs[1],
        axis=axis,
        lower_is_better=spec.lower_is_better,
        y_label=score,
    )
    # Built by charts.py, which escapes every label.
    return [mark_safe(svg) for svg in (means, categories, paired)]  # noqa: S308


FIGURE_LABELS = {
    "n_pairs": "Completers (pre and post)",
    "pre_mean": "Pre mean",
    "pre_sd": "Pre SD",
    "post_mean": "Post mean",
    "post_sd": "Post SD",
    "mean_change": "Mean change (post - pre)",
    "sd_change": "SD of change",
    "ci95_low": "95% CI of change, low",
    "ci95_high": "95% CI of change, high",
    "t": "Paired t",
    "df": "Degrees of freedom",
    "p_t": "p (paired t-test)",
    "p_wilcoxon": "p (Wilcoxon signed-rank)",
    "cohens_dz": "Cohen's dz",
    "reliable_change_threshold": "Reliable change threshold",
    "reliably_improved": "Reliably improved",
    "no_reliable_change": "No reliable change",
    "reliably_deteriorated": "Reliably deteriorated",
    "recovered": "Recovered",
    "improved": "Improved (not recovered)",
    "unchanged": "Unchanged",
    "deteriorated": "Deteriorated",
    "n_pre_only": "Pre only (no post)",
    "pre_only_mean": "Pre-only baseline mean",
}


def _page_context(request: AuthenticatedHttpRequest, *, reason: str) -> dict[str, Any]:
    """What the page and the printable report show (the read is audited)."""
    form, report, _ = _report(request)
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        object_type="evaluation",
        reason=reason,
        detail={"filters": dict(report.filters.describe())},
    )
    filters = report.filters
    births_by = births.birth_outcomes(
        filters=filters, site_ids=evaluation_site_ids(request.user), min_n=report.min_n
    )
    birth_groups = [
        (title, births_by.get(key, []))
        for key, title in (
            ("all", "All"),
            ("delivered_mode", "By delivered mode"),
            ("site", "By site"),
            ("cohort", "By cohort"),
        )
        if key != "cohort" or filters.site or filters.cohort
    ]
    sections = [
        {
            "item": item,
            "charts": _charts(item, f"c{n}"),
            "columns": [("All", item.overall), *item.groups],
        }
        for n, item in enumerate(report.instruments)
    ]
    return {
        "form": form,
        "report": report,
        "sections": sections,
        "figure_labels": list(FIGURE_LABELS.items()),
        "modes": selectors.DELIVERY_MODES,
        "remote_min": round(settings.DELIVERED_MODE_REMOTE_MIN * 100),
        "face_to_face_max": round(settings.DELIVERED_MODE_FACE_TO_FACE_MAX * 100),
        "group_label": selectors.GROUP_BY.get(report.filters.group_by, ""),
        "query": request.GET.urlencode(),
        "can_export_participants": may_export_participants(request.user),
        "birth_groups": birth_groups,
        "birth_outcomes": BirthOutcome.choices,
        "reference_rates": births.reference_rates(),
        "filters_described": [
            (form.fields[name].label or name, value)
            for name, value in filters.describe()
            if name in form.fields
        ],
    }


@evaluators
@reads_from_replica
def evaluation_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = _page_context(request, reason="evaluation page")
    return TemplateResponse(request, "evaluation/evaluation.html", context)


@evaluators
@reads_from_replica
def evaluation_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The same figures as a report to print (or save as PDF from the browser's print
    dialogue): methods in plain English first, then each instrument, the mode comparison
    (raw and adjusted), attrition and birth outcomes."""
    context = _page_context(request, reason="evaluation report")
    context["generated_at"] = timezone.localtime()
    return TemplateResponse(request, "evaluation/report.html", context)


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"


def _download(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    _attachment(response, filename)
    return response


def _streamed(chunks: Iterator[bytes], filename: str, content_type: str) -> StreamingHttpResponse:
    """A download sent as it is made: its first bytes (the header) leave at once and the
    file is never held whole, only a chunk of its rows at a time (the dataset behind the
    rows is still read whole, before the first row)."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    _attachment(response, filename)
    response["X-Accel-Buffering"] = "no"  # nginx passes it on as it comes
    return response


def _audit_export(request: AuthenticatedHttpRequest, filters: selectors.Filters, kind: str) -> None:
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="evaluation",
        reason="evaluation export",
        detail={"file": kind, "filters": dict(filters.describe())},
    )


def _stamp() -> str:
    return timezone.localdate().isoformat()


@evaluators
@reads_from_replica
def figures_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, site_ids = _filter_form(request)
    if _invalid(form):
        return _refused(form)
    report, _data = _report_for(form, site_ids)
    _audit_export(request, report.filters, "figures.csv")
    return _download(exports.figures_csv(report), f"evaluation-{_stamp()}.csv", "text/csv")


@evaluators
@reads_from_replica
def figures_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, site_ids = _filter_form(request)
    if _invalid(form):
        return _refused(form)
    report, _data = _report_for(form, site_ids)
    _audit_export(request, report.filters, "figures.xlsx")
    return _download(
        exports.figures_xlsx(report),
        f"evaluation-{_stamp()}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@evaluators
@reads_from_replica
def participants_csv(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The page's participant CSV, streamed: its header leaves before the rows are read
    (no statistics are worked out for it)."""
    if not may_export_participants(request.user):
        raise PermissionDenied(_("The participant-level file is for NSPCC evaluators."))
    form, site_ids = _filter_form(request)
    if _invalid(form):
        return _refused(form)
    filters = form.filters()
    _audit_export(request, filters, "participants.csv")
    instruments = selectors.all_instruments()

    def rows() -> Iterator[list[Any]]:
        data = selectors.dataset(filters=filters, site_ids=site_ids, instruments=instruments)
        yield from participants.participant_rows(data)

    return _streamed(
        csv_chunks(participants.participant_header(instruments), rows()),
        f"evaluation-participants-{_stamp()}.csv",
        "text/csv",
    )


FILE_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
}


@evaluators
@reads_from_replica
def participants_file(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    """The participant file for statistical tools (``export_participants`` from the page),
    or its codebook (``fmt`` "codebook", from the questionnaires alone). The CSV is
    streamed; XLSX, SPSS and Stata files are whole files, written before they are sent."""
    if fmt not in (*statfiles.FORMATS, "codebook"):
        raise Http404("Not found.")
    if not may_export_participants(request.user):
        raise PermissionDenied(_("The participant-level file is for NSPCC evaluators."))
    form, site_ids = _filter_form(request)
    if _invalid(form):
        return _refused(form)
    filters = form.filters()
    table = participant_table(filters, site_ids=site_ids)
    _audit_export(request, filters, f"participants.{fmt}")
    if fmt == "codebook":
        return _download(
            statfiles.codebook_csv(table), f"evaluation-codebook-{_stamp()}.csv", "text/csv"
        )
    filename = f"evaluation-participants-{_stamp()}.{fmt}"
    if fmt == "csv":
        return _streamed(statfiles.csv_chunks(table), filename, FILE_TYPES[fmt])
    return _download(statfiles.WRITERS[fmt](table), filename, FILE_TYPES[fmt])
