"""The Django admin for accounts. Every grant, change and removal made here is audited
and checked like any other (``accounts.tracking``); the inline also checks the roles it
saves together, which one row alone cannot see."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.forms.models import BaseInlineFormSet

from babysteps.accounts.models import Membership, PractitionerProfile, User, check_role_combination


class MembershipFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        roles = {
            form.cleaned_data["role"]
            for form in self.forms
            if form.cleaned_data.get("role") and not form.cleaned_data.get("DELETE")
        }
        check_role_combination(roles)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0


class PractitionerInline(admin.StackedInline):
    model = PractitionerProfile
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "is_active"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "memberships__role"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "work_mobile", "password"]}),
        ("Status", {"fields": ["is_active", "is_staff", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []
    inlines = [PractitionerInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "site"]
    list_filter = ["role", "site"]
    search_fields = ["user__email", "user__full_name"]
