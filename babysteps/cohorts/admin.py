from django.contrib import admin

from babysteps.cohorts.models import Cohort


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    """Cohort settings only; rosters (family data) are on the audited cohort page."""

    list_display = ["name", "site", "start_date", "delivery_mode", "capacity"]
    list_filter = ["site", "delivery_mode"]
    search_fields = ["name"]
    fields = [
        "site",
        "name",
        "start_date",
        "due_date_from",
        "due_date_to",
        "capacity",
        "delivery_mode",
        "venue",
    ]
