"""Read-only admin views of audits: changes go through the services, so they are logged."""

from django.contrib import admin

from aims.audits.models import Audit, AuditLine, AuditProgramme


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditProgramme)
class AuditProgrammeAdmin(ReadOnly):
    list_display = ["name", "org", "start_date", "months"]
    list_select_related = ["org"]


@admin.register(Audit)
class AuditAdmin(ReadOnly):
    list_display = ["ref", "title", "org", "status"]
    list_filter = ["status"]
    list_select_related = ["org"]


@admin.register(AuditLine)
class AuditLineAdmin(ReadOnly):
    list_display = ["audit", "requirement", "result"]
    list_filter = ["result"]
    list_select_related = ["audit", "requirement", "ai_system"]
