"""Read-only admin views: suppliers change only through their services, which check the role,
the version and write the activity log, so the admin only looks."""

from django.contrib import admin

from aims.suppliers.models import (
    DueDiligenceAnswer,
    ResponsibilityAllocation,
    Supplier,
    SupplierReview,
)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Supplier)
class SupplierAdmin(_ReadOnly):
    list_display = ["name", "org", "kind", "status", "rating", "next_review_date"]
    list_filter = ["kind", "status", "rating"]
    search_fields = ["name"]


@admin.register(SupplierReview)
class SupplierReviewAdmin(_ReadOnly):
    list_display = ["supplier", "reviewed_on", "rating"]


@admin.register(DueDiligenceAnswer)
class DueDiligenceAnswerAdmin(_ReadOnly):
    list_display = ["supplier", "item", "status"]


@admin.register(ResponsibilityAllocation)
class ResponsibilityAllocationAdmin(_ReadOnly):
    list_display = ["supplier", "topic", "activity", "responsible"]
