"""Delivery reports for site managers (their sites) and NSPCC programme admins (all):
a site's delivery and fidelity, and facilitator time."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.cohorts.models import Cohort
from babysteps.core.replica import reads_from_replica
from babysteps.delivery import reports, selectors, services
from babysteps.licensing.access import site_for_user, sites_for_user

report_staff = staff_required(lambda roles: roles.is_admin or roles.is_manager)


def _reportable_sites(request: AuthenticatedHttpRequest):
    roles = roles_for(request.user)
    sites = sites_for_user(request.user)
    return sites if roles.is_admin else sites.filter(pk__in=roles.managed_site_ids)


@report_staff
def reports_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "delivery/reports_index.html", {"sites": list(_reportable_sites(request))}
    )


def _site_cohorts(site) -> list[Cohort]:
    return list(Cohort.objects.filter(site=site).order_by("-start_date", "name"))


@report_staff
@reads_from_replica
def site_delivery(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    """A site's delivery: the state of each cohort, the switch history, and fidelity
    across its cohorts (dose, completion, co-facilitation, mode mix by month)."""
    site = site_for_user(request.user, site_id, manage=True)
    cohorts = _site_cohorts(site)
    today = timezone.localdate()
    context = reports.fidelity_report(cohorts=cohorts, chart_prefix="site")
    states = services.cohorts_governing(site=site, cohorts=cohorts, day=today)
    # Lists no family by name: the per-family figures are on the time report.
    context.update(
        site=site,
        history=selectors.site_history(site=site),
        site_state=services.site_governing(site=site, day=today),
        cohort_rows=[(row, states[row.cohort.pk]) for row in context["per_cohort"]],
    )
    return TemplateResponse(request, "delivery/site_delivery.html", context)


@report_staff
@reads_from_replica
def site_time(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    """Facilitator time at a site (optionally one cohort): by mode, component and month,
    per facilitator and per family, and call length before and after video-first."""
    site = site_for_user(request.user, site_id, manage=True)
    cohorts = _site_cohorts(site)
    chosen = None
    wanted = request.GET.get("cohort", "")
    if wanted.isdigit():
        chosen = next((c for c in cohorts if c.pk == int(wanted)), None)
    scope = [chosen] if chosen else cohorts
    context = reports.time_report(cohorts=scope, chart_prefix="time")
    families = Paginator(context["by_family"], settings.PAGE_SIZE).get_page(request.GET.get("page"))
    # The per-family table names families: the read is audited as a list.
    audit_record(
        actor=request.user,
        action=Action.LIST,
        object_type="family",
        site_id=site.pk,
        reason="facilitator time report",
        detail={"family_ids": [t.family.pk for t in families.object_list]},
    )
    context.update(site=site, cohorts=cohorts, chosen=chosen, families_page=families)
    return TemplateResponse(request, "delivery/site_time.html", context)
