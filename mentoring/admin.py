from django.contrib import admin

from .models import GuidanceSession, Pairing


class GuidanceSessionInline(admin.TabularInline):
    model = GuidanceSession
    extra = 0
    fields = ["date", "kind", "private", "logged_by", "confirmed_by", "confirmed_at"]
    readonly_fields = ["logged_by", "confirmed_by", "confirmed_at"]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["mentor", "apprentice", "school", "status", "origin", "start_date", "end_date"]
    list_filter = ["status", "origin", "school"]
    search_fields = ["mentor__name", "apprentice__name", "school__name"]
    raw_id_fields = ["mentor", "apprentice", "report_class", "renewed_from"]
    readonly_fields = ["requested_by", "approved_by", "approved_at", "created_at"]
    date_hierarchy = "start_date"
    inlines = [GuidanceSessionInline]


@admin.register(GuidanceSession)
class GuidanceSessionAdmin(admin.ModelAdmin):
    list_display = ["pairing", "date", "kind", "private", "confirmed_at"]
    list_filter = ["kind", "private"]
    raw_id_fields = ["pairing"]
    readonly_fields = ["logged_by", "confirmed_by", "confirmed_at", "created_at"]
