"""The Django admin, for the application administrator only (end users never need it)."""

from django.contrib import admin

from leerplek.people.models import Employee, Job, Organisation, OrgUnit, User, Workstation


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "language", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    exclude = ["password", "user_permissions", "groups"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sector", "joint_committee", "is_sme"]
    search_fields = ["name"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "path"]
    list_filter = ["organisation", "kind"]
    readonly_fields = ["path", "depth", "parent"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "organisation"]
    list_filter = ["organisation"]


@admin.register(Workstation)
class WorkstationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "organisation"]
    list_filter = ["organisation"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "person_type", "organisation", "unit"]
    list_filter = ["organisation", "person_type"]
    search_fields = ["last_name", "first_name", "email"]
    raw_id_fields = ["manager", "user", "unit", "job", "workstation"]
