"""The import's two forms: the upload, and the confirmation of a checked file."""

from typing import Any

from django import forms
from django.core import signing
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from babysteps.cohorts.models import Cohort
from babysteps.core.forms import model_choice
from babysteps.imports import reading
from babysteps.licensing.models import Site

# A checked file travels back with the confirmation signed (so it cannot be changed in
# between) and expires: nothing is kept on the server between preview and import.
SIGNING_SALT = "babysteps.imports.sheet"
PREVIEW_MAX_AGE = 60 * 60


class UploadForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), empty_label=None)
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not in a cohort"),
        help_text=gettext_lazy("Optional: give every family a place in this cohort of the site."),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the site's cohorts.")},
    )
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, sites: Any, cohorts: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        model_choice(self, "site").queryset = sites
        model_choice(self, "cohort").queryset = cohorts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        site, cohort = data.get("site"), data.get("cohort")
        if site and cohort and cohort.site_id != site.pk:
            self.add_error("cohort", _("Choose a cohort of the same site."))
        upload = data.get("file")
        if upload is not None:
            if upload.size > reading.MAX_BYTES:
                self.add_error("file", _("The file is over 5 MB: split it into smaller files."))
            else:
                try:
                    data["sheet"] = reading.read(upload.read(), upload.name)
                except reading.UnreadableFile as exc:
                    self.add_error("file", str(exc))
        return data


def sign_sheet(sheet: reading.Sheet, *, site_id: int, cohort_id: int | None) -> str:
    return signing.dumps(
        {"site": site_id, "cohort": cohort_id, "columns": sheet.columns, "rows": sheet.rows},
        salt=SIGNING_SALT,
        compress=True,
    )


class ConfirmForm(forms.Form):
    """The checked file, signed. The likely duplicates to create anyway come as ``create``
    checkboxes (line numbers); the service ignores any that is not a likely duplicate."""

    sheet = forms.CharField(widget=forms.HiddenInput)

    def clean_sheet(self) -> dict[str, Any]:
        try:
            data = signing.loads(
                self.cleaned_data["sheet"], salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE
            )
        except signing.SignatureExpired:
            raise forms.ValidationError(
                _("The preview is over an hour old: upload the file again.")
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                _("The preview cannot be read: upload the file again.")
            ) from None
        data["sheet"] = reading.Sheet(
            columns=data["columns"], rows=[(line, cells) for line, cells in data["rows"]]
        )
        return data

    def create_lines(self) -> set[int]:
        values = self.data.getlist("create") if isinstance(self.data, QueryDict) else []
        return {int(v) for v in values if v.isdigit()}
