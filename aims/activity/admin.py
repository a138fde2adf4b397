from django.contrib import admin

from aims.activity.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read-only view for operators: the log is append-only."""

    list_display = ["org", "seq", "at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["org", "action", "object_type"]
    search_fields = ["object_repr", "actor_label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
