from django.contrib import admin

from babysteps.evaluation.models import ReferenceRate


@admin.register(ReferenceRate)
class ReferenceRateAdmin(admin.ModelAdmin):
    list_display = ["outcome", "percent", "population", "year", "checked", "updated_at"]
    list_editable = ["checked"]
    readonly_fields = ["updated_at"]
