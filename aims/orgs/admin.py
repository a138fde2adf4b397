from django.contrib import admin

from aims.orgs.models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at", "log_head_seq"]
    search_fields = ["name", "slug"]
    readonly_fields = ["log_head_seq", "log_head_hash"]
    inlines = [MembershipInline]
