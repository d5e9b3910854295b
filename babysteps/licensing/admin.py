from django.contrib import admin

from babysteps.licensing.models import Licence, Organisation, Site


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
    list_display = ["reference", "organisation", "status", "start_date", "end_date"]
    list_filter = ["status"]
    search_fields = ["reference", "organisation__name"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "licence", "nation", "offer"]
    list_filter = ["nation", "offer"]
    search_fields = ["name"]
