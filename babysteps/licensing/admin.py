from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from babysteps.licensing.models import Licence, Organisation, Site


class SiteForm(forms.ModelForm):
    """A site's licence must be its own organisation's."""

    class Meta:
        model = Site
        fields = ["organisation", "name", "licence", "nation", "offer"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        licence, organisation = data.get("licence"), data.get("organisation")
        # In the organisation's page the site's organisation is the page's.
        organisation_id = organisation.pk if organisation else self.instance.organisation_id
        if licence is not None and licence.organisation_id != organisation_id:
            self.add_error("licence", _("Choose one of the site's own organisation's licences."))
        return data


class SiteInline(admin.TabularInline):
    model = Site
    form = SiteForm
    extra = 0
    fields = ["name", "licence", "nation", "offer"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "licence":
            organisation_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Licence.objects.filter(organisation_id=organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    search_fields = ["name"]
    inlines = [SiteInline]


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    """Licences move through the pipeline's pages (/licensing/), which check and record
    every step; here they can be looked at, and never deleted."""

    fields = ["organisation", "reference", "status", "start_date", "end_date"]
    list_display = ["reference", "organisation", "status", "start_date", "end_date"]
    list_filter = ["status"]
    search_fields = ["reference", "organisation__name"]
    readonly_fields = ["status", "start_date", "end_date"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    form = SiteForm
    list_display = ["name", "organisation", "licence", "nation", "offer"]
    list_filter = ["nation", "offer"]
    search_fields = ["name"]
