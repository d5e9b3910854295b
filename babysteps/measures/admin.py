"""NSPCC admins add or correct instruments here, as a definition in YAML or JSON (the
format of ``instruments/*.yaml``): no code change. Saving goes through ``instrument_save``,
which checks the definition, keeps a revision and raises the scoring version when the
scoring rules change (then run ``manage.py rescore CODE``)."""

from typing import Any, cast

import yaml
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.measures.definition import DefinitionError, parse_definition
from babysteps.measures.models import Instrument
from babysteps.measures.services import instrument_save


class InstrumentForm(forms.ModelForm):
    definition_text = forms.CharField(
        label=gettext_lazy("Definition (YAML or JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100}),
        help_text=gettext_lazy(
            "Items, options, keying, bands, caseness, safety items, reliability and "
            "licence, as in the shipped files."
        ),
    )

    class Meta:
        model = Instrument
        fields = ["active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["definition_text"].initial = yaml.safe_dump(
                self.instance.definition, sort_keys=False, allow_unicode=True
            )

    def clean_definition_text(self) -> dict[str, Any]:
        try:
            data = yaml.safe_load(self.cleaned_data["definition_text"])
        except yaml.YAMLError:
            raise ValidationError(_("This is not valid YAML or JSON.")) from None
        try:
            spec = parse_definition(data)
        except DefinitionError as exc:
            raise ValidationError(exc.problems) from None
        if self.instance.pk and spec.code != self.instance.code:
            raise ValidationError(_("The code of an instrument cannot change."))
        if not self.instance.pk and Instrument.objects.filter(code=spec.code).exists():
            raise ValidationError(_("An instrument with this code exists: edit that one."))
        return data


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    form = InstrumentForm
    list_display = ["short_name", "code", "name", "version", "active"]
    readonly_fields = ["code", "version"]

    def get_fields(self, request: HttpRequest, obj: Instrument | None = None) -> Any:
        return (
            ["code", "version", "active", "definition_text"]
            if obj
            else ["active", "definition_text"]
        )

    def save_model(self, request: HttpRequest, obj: Instrument, form: Any, change: bool) -> None:
        # The admin site lets in only signed-in NSPCC admins (accounts.admin_site).
        admin_user = cast(AuthenticatedHttpRequest, request).user
        saved = instrument_save(data=form.cleaned_data["definition_text"], changed_by=admin_user)
        if saved.active != obj.active:
            saved.active = obj.active
            saved.save(update_fields=["active", "updated_at"])
        obj.pk, obj.code, obj.version = saved.pk, saved.code, saved.version
        if change and saved.version > (form.initial.get("version") or 0):
            messages.warning(
                request,
                _("Scoring version is now %(version)s: run rescore.") % {"version": saved.version},
            )

    def has_delete_permission(self, request: HttpRequest, obj: Instrument | None = None) -> bool:
        return False  # administrations point at it; retire it with "active" instead
