"""Finding a family recorded twice at a site, and merging the two records (site managers
and NSPCC admins)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.access import one
from babysteps.families import selectors
from babysteps.families.access import families_for_user, family_for_user
from babysteps.families.merging import family_merge
from babysteps.licensing.access import managed_sites_for_user

managers = staff_required(lambda roles: roles.is_admin or roles.is_manager)


@managers
def duplicate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    sites = managed_sites_for_user(request.user)
    chosen = request.GET.get("site")
    site = one(sites, chosen) if chosen else sites.first()
    pairs = []
    if site is not None:
        families = families_for_user(request.user).filter(site=site)
        pairs = selectors.likely_duplicates(families=families)
        audit_record(
            actor=request.user,
            action=Action.LIST,
            object_type="family",
            site_id=site.pk,
            reason="likely duplicates",
            detail={"family_ids": sorted({f.pk for pair in pairs for f in pair})},
        )
    return TemplateResponse(
        request,
        "families/duplicates.html",
        {"site": site, "sites": sites, "pairs": pairs},
    )


@managers
@require_http_methods(["GET", "POST"])
def family_merge_view(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    """Compare a family with another of its site (``?other=ID``) and merge one into the
    other. Only a manager of the family's site (or an admin) may."""
    roles = roles_for(request.user)
    scope = families_for_user(request.user)
    if not roles.is_admin:
        scope = scope.filter(site_id__in=roles.managed_site_ids)
    action = Action.VIEW if request.method == "GET" else Action.CHANGE
    family = one(scope, family_id)
    other_id = request.POST.get("other") if request.method == "POST" else request.GET.get("other")
    if not other_id:
        return _choose_other(request, family.pk)
    other = one(scope.filter(site_id=family.site_id).exclude(pk=family.pk), other_id)
    # Both are in scope: now read (and audit) them as records.
    family = family_for_user(request.user, family.pk, action=action, reason="merge")
    other = family_for_user(request.user, other.pk, action=action, reason="merge")
    if request.method == "POST":
        keep_id = request.POST.get("keep")
        keep, merge = (family, other) if keep_id == str(family.pk) else (other, family)
        if keep_id not in {str(family.pk), str(other.pk)}:
            messages.error(request, _("Choose which record to keep."))
        else:
            try:
                record = family_merge(keep=keep, merge=merge, merged_by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                moved = ", ".join(f"{n} {kind}" for kind, n in record.moved.items()) or "nothing"
                messages.success(
                    request,
                    _("Family %(merged_family_id)s was merged into this record (%(moved)s moved).")
                    % {"merged_family_id": record.merged_family_id, "moved": moved},
                )
                return redirect("families:detail", family_id=keep.pk)
    return TemplateResponse(
        request,
        "families/merge.html",
        {"pair": [(f, selectors.linked_counts(family=f)) for f in (family, other)]},
    )


def _choose_other(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    """Which family to compare with: the likely duplicates of this one, or a number."""
    family = family_for_user(request.user, family_id, reason="merge")
    site_families = families_for_user(request.user).filter(site_id=family.site_id)
    matches = [
        b if a.pk == family.pk else a
        for a, b in selectors.likely_duplicates(families=site_families)
        if family.pk in (a.pk, b.pk)
    ]
    return TemplateResponse(
        request, "families/merge_choose.html", {"family": family, "matches": matches}
    )
