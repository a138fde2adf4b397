from django.contrib import admin

from aims.catalog.models import Framework, Requirement


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "version", "data_version"]


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    """Read-only: the catalog is data shipped with aims and loaded by `aims init`."""

    list_display = ["ref", "title", "kind", "framework"]
    list_filter = ["framework", "kind"]
    search_fields = ["ref", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
