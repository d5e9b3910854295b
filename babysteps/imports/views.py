"""Importing families: upload, a preview of every problem and duplicate, then confirm."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.core.access import one
from babysteps.imports.access import import_cohorts_for_user, may_import
from babysteps.imports.forms import ConfirmForm, UploadForm, sign_sheet
from babysteps.imports.rows import COLUMNS
from babysteps.imports.services import Preview, import_families, preview_import
from babysteps.licensing.access import managed_sites_for_user

importer = staff_required(may_import)


def _preview_page(request: AuthenticatedHttpRequest, preview: Preview, token: str) -> HttpResponse:
    rows_by_line = {row.line: row for row in preview.rows}
    duplicates = [(found, rows_by_line[line]) for line, found in sorted(preview.duplicates.items())]
    return TemplateResponse(
        request,
        "imports/preview.html",
        {
            "preview": preview,
            "token": token,
            "duplicates": duplicates,
            "new_count": len(preview.rows) - len(duplicates),
        },
    )


@importer
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        sites=managed_sites_for_user(request.user),
        cohorts=import_cohorts_for_user(request.user),
    )
    if request.method == "POST" and form.is_valid():
        site, cohort, sheet = (form.cleaned_data[k] for k in ("site", "cohort", "sheet"))
        preview = preview_import(site=site, cohort=cohort, sheet=sheet)
        token = sign_sheet(sheet, site_id=site.pk, cohort_id=cohort.pk if cohort else None)
        return _preview_page(request, preview, token)
    return TemplateResponse(request, "imports/upload.html", {"form": form, "columns": COLUMNS})


@importer
@require_POST
def confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        problems = [str(e) for e in form.errors.get("sheet") or ["Upload the file again."]]
        messages.error(request, " ".join(problems))
        return redirect("imports:upload")
    data = form.cleaned_data["sheet"]
    site = one(managed_sites_for_user(request.user), data["site"])
    cohort = None
    if data["cohort"] is not None:
        cohort = one(import_cohorts_for_user(request.user).filter(site=site), data["cohort"])
    create = form.create_lines()
    # Checked again: the cohort may have filled, or a family been recorded, meanwhile.
    preview = preview_import(site=site, cohort=cohort, sheet=data["sheet"], create_lines=create)
    if not preview.valid:
        return _preview_page(request, preview, request.POST["sheet"])
    try:
        outcome = import_families(preview=preview, imported_by=request.user, create_lines=create)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages) + " Nothing was saved.")
        return _preview_page(request, preview, request.POST["sheet"])
    messages.success(request, _("Import finished: %(outcome)s.") % {"outcome": outcome})
    return redirect("families:list")


@importer
@require_GET
def template(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The header row every import file starts with."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="families-import-template.csv"'
    csv.writer(response).writerow(COLUMNS)
    return response
