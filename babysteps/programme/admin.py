from django.contrib import admin

from babysteps.programme.models import Component, KeyMessage


class KeyMessageInline(admin.TabularInline):
    model = KeyMessage
    extra = 1


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "phase", "order", "typical_duration_minutes"]
    ordering = ["order"]
    inlines = [KeyMessageInline]
