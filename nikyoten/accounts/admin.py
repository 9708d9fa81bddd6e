"""Platform admins create organizations and manage users here; changes go through the services."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from nikyoten.accounts import services
from nikyoten.accounts.models import ApiToken, AuditEvent, Membership, Organization, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "is_sample"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("プロフィール"), {"fields": ("display_name",)}),
        (_("権限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_staff", "is_active", "is_sample"]


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "prefecture", "municipality", "is_active", "is_sample"]
    list_filter = ["kind", "is_active", "is_sample"]
    search_fields = ["name"]
    autocomplete_fields = ["municipality"]
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            services.audit_record(
                actor=request.user,
                organization=obj,
                action="update",
                entity="organization",
                entity_id=obj.pk,
                changes={field: str(form.cleaned_data.get(field)) for field in form.changed_data},
            )
            return
        created = services.organization_create(
            actor=request.user,
            name=obj.name,
            kind=obj.kind,
            prefecture=obj.prefecture,
            municipality=obj.municipality,
            is_sample=obj.is_sample,
        )
        obj.pk = created.pk
        obj._state.adding = False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["prefix", "name", "organization", "role", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "organization", "name", "role", "created_by", "last_used_at", "revoked_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["occurred_at", "actor", "organization", "action", "entity", "entity_id"]
    list_filter = ["action", "entity"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
