"""Read-only admin views: documents change only through their services (approved versions
never), so the admin only looks."""

from django.contrib import admin

from aims.documents.models import Document, DocumentVersion


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(_ReadOnly):
    list_display = ["ref", "title", "kind", "org", "next_review_date"]
    list_filter = ["kind"]
    search_fields = ["ref", "title"]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(_ReadOnly):
    list_display = ["document", "number", "status", "approved_on", "effective_from",
                    "superseded_at"]
    list_filter = ["status"]
