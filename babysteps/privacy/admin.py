from django.contrib import admin

from babysteps.privacy.models import ErasureRequest, LegalHold, RetentionRule, RetentionRun


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    """The schedule: periods and their sources are the organisation's to set."""

    list_display = ["record_class", "period_days", "starts_from", "action"]
    readonly_fields = ["record_class", "updated_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """History: changed only through the app's pages, which audit each step."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ["family", "reason", "placed_by", "placed_at", "released_at"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    list_display = ["family", "status", "requested_by", "requested_at", "decided_at"]
    list_filter = ["status"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "dry_run", "channel"]
