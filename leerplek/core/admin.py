"""Admin for role grants and (read-only) audit entries."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from leerplek.core.models import AuditEntry, RoleGrant


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organisation", "unit"]
    list_filter = ["organisation", "role"]
    raw_id_fields = ["user", "unit"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_repr", "organisation"]
    list_filter = ["action"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
