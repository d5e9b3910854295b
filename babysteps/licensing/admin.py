from django import forms
from django.contrib import admin

from babysteps.licensing.models import Licence, Organisation, Site
from babysteps.licensing.services import TRANSITIONS


class LicenceForm(forms.ModelForm):
    """Status changes in the admin follow the licence life cycle, as in the service."""

    class Meta:
        model = Licence
        fields = ["organisation", "reference", "status", "start_date", "end_date"]

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if self.instance.pk is None:
            return status
        before = Licence.objects.get(pk=self.instance.pk).status
        if status != before and status not in TRANSITIONS.get(before, frozenset()):
            allowed = ", ".join(sorted(Licence.Status(s).label for s in TRANSITIONS[before]))
            raise forms.ValidationError(
                f"A licence cannot go from {Licence.Status(before).label} to "
                f"{Licence.Status(status).label}. From here it can go to: {allowed}."
            )
        return status


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    fields = ["name", "licence", "nation", "offer"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    search_fields = ["name"]
    inlines = [SiteInline]


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    form = LicenceForm
    list_display = ["reference", "organisation", "status", "start_date", "end_date"]
    list_filter = ["status"]
    search_fields = ["reference", "organisation__name"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "licence", "nation", "offer"]
    list_filter = ["nation", "offer"]
    search_fields = ["name"]
