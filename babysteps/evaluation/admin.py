from django.contrib import admin
from django.db import models

from babysteps.evaluation.models import ReferenceRate


@admin.register(ReferenceRate)
class ReferenceRateAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["outcome", "percent", "population", "year", "checked", "updated_at"]
    list_editable = ["checked"]
    readonly_fields = ["updated_at"]
