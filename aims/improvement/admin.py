"""Read-only admin views: changes go through the services, so they are checked and logged."""

from django.contrib import admin

from aims.improvement.models import Improvement, Incident, Nonconformity


class ReadOnly(admin.ModelAdmin):
    list_select_related = ["org"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnly):
    list_display = ["ref", "title", "org", "incident_type", "severity", "status"]
    list_filter = ["incident_type", "severity", "status"]


@admin.register(Nonconformity)
class NonconformityAdmin(ReadOnly):
    list_display = ["ref", "title", "org", "source", "severity", "raised_on", "closed_at"]
    list_filter = ["source", "severity"]


@admin.register(Improvement)
class ImprovementAdmin(ReadOnly):
    list_display = ["ref", "title", "org", "source", "status"]
    list_filter = ["source", "status"]
