"""Read-only admin views: roles, assignments and training change only through their services,
so every change is checked and logged."""

from django.contrib import admin

from aims.people.models import (
    AimsRole,
    CompetenceRequirement,
    ConcernChannel,
    RoleAssignment,
    TrainingRecord,
)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AimsRole)
class AimsRoleAdmin(_ReadOnly):
    list_display = ["name", "code", "org"]
    search_fields = ["name", "code"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(_ReadOnly):
    list_display = ["role", "member", "since", "until", "org"]


@admin.register(CompetenceRequirement)
class CompetenceRequirementAdmin(_ReadOnly):
    list_display = ["title", "role", "ai_specific", "org"]
    list_filter = ["ai_specific"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(_ReadOnly):
    list_display = ["topic", "member", "ai_specific", "completed_on", "expires_on", "org"]
    list_filter = ["ai_specific"]
    search_fields = ["topic", "provider"]


@admin.register(ConcernChannel)
class ConcernChannelAdmin(_ReadOnly):
    list_display = ["org", "version", "updated_at"]
