"""Only the list of referral reasons is in the Django admin (NSPCC admins). Referrals
themselves are family data: they are reached through the audited pages, never here."""

from django.contrib import admin
from django.http import HttpRequest

from babysteps.safeguarding.models import ReferralReason


@admin.register(ReferralReason)
class ReferralReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active"]
    search_fields = ["label", "code"]
    ordering = ["order", "label"]

    def has_delete_permission(
        self, request: HttpRequest, obj: ReferralReason | None = None
    ) -> bool:
        # Past referrals name their reasons: retire a reason (untick "active") instead.
        return False
