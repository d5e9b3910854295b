"""/national/: every site side by side, for NSPCC admins (evaluators see pseudonyms)."""

from typing import Any

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe

from babysteps.accounts.decorators import verified_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core import charts
from babysteps.core.replica import reads_from_replica
from babysteps.delivery.fidelity import MODE_LABELS, MODES
from babysteps.national import exports, selectors
from babysteps.national.access import national_viewer, site_pseudonym
from babysteps.national.figures import COLUMNS, SORT_KEYS, SiteFigures, sort_value


def _rows(
    request: AuthenticatedHttpRequest, action: str
) -> tuple[str, list[SiteFigures], selectors.Snapshot]:
    viewer = national_viewer(request.user)
    figures = selectors.snapshot(today=timezone.localdate())
    rows = figures.rows
    if viewer == "evaluator":
        rows = selectors.relabelled(rows, {r.site_id: site_pseudonym(r.site_id) for r in rows})
    audit_record(
        actor=request.user,
        action=action,
        object_type="national_dashboard",
        reason="names" if viewer == "admin" else "pseudonymised",
        detail={"sites": len(rows)},
    )
    return viewer, rows, figures


def _sorted(rows: list[SiteFigures], key: str, descending: bool) -> list[SiteFigures]:
    known = [r for r in rows if sort_value(r, key)[0] == 0]
    unknown = [r for r in rows if sort_value(r, key)[0] == 1]
    known.sort(key=lambda r: sort_value(r, key)[1], reverse=descending)  # type: ignore[arg-type,return-value]
    return known + sorted(unknown, key=lambda r: r.label)


def _trend_charts(trends: dict[str, Any]) -> list[str]:
    if not trends["quarters"]:
        return []
    quarters = trends["quarters"]
    places = charts.stacked_columns(
        chart_id="national-places",
        title="Families given a place, by quarter",
        description="How many families were given a cohort place in each quarter, all sites.",
        categories=quarters,
        series=[charts.Series("bar", "Families", trends["places"])],
        x_label="Quarter",
        y_label="Families",
        integer=True,
    )
    contacts = charts.stacked_columns(
        chart_id="national-contacts",
        title="Families reached, by quarter and how",
        description="Families present at a contact in each quarter, by delivery mode, all sites.",
        categories=quarters,
        series=[
            charts.Series(
                mode, MODE_LABELS[mode], [trends["contacts"][q].get(mode, 0) for q in quarters]
            )
            for mode in MODES
        ],
        x_label="Quarter",
        y_label="Families reached (contacts)",
        integer=True,
    )
    return [mark_safe(places), mark_safe(contacts)]  # noqa: S308 (built by core.charts, escaped)


@verified_required
@reads_from_replica
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer, rows, figures = _rows(request, Action.VIEW)
    key = request.GET.get("sort", "label")
    key = key if key in SORT_KEYS else "label"
    descending = request.GET.get("dir") == "desc"
    return TemplateResponse(
        request,
        "national/dashboard.html",
        {
            "rows": _sorted(rows, key, descending),
            "columns": COLUMNS,
            "sort": key,
            "descending": descending,
            "with_names": viewer == "admin",
            "charts": _trend_charts(figures.trends),
            "computed_at": figures.at,
        },
    )


@verified_required
@reads_from_replica
def dashboard_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    _viewer, rows, _figures = _rows(request, Action.EXPORT)
    response = HttpResponse(exports.as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="baby-steps-national.csv"'
    return response


@verified_required
@reads_from_replica
def dashboard_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    _viewer, rows, _figures = _rows(request, Action.EXPORT)
    response = HttpResponse(
        exports.as_xlsx(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="baby-steps-national.xlsx"'
    return response
