from django.contrib import admin

from .models import (
    Application,
    Attendance,
    Certificate,
    Enrolment,
    Programme,
    Session,
    SessionReminder,
)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["date", "starts_at", "ends_at", "theme", "code", "published_at"]
    readonly_fields = ["code"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "school", "district", "start_date", "end_date"]
    list_filter = ["kind", "year", "district"]
    search_fields = ["title", "school__name"]
    inlines = [SessionInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["teacher", "programme", "status", "origin"]
    list_filter = ["status"]
    raw_id_fields = ["teacher", "programme"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["teacher", "session", "status", "method", "signed_in_at"]
    list_filter = ["status", "method"]
    raw_id_fields = ["teacher", "session"]
    # Changes go through the register, which keeps the ledger in step.
    readonly_fields = ["teacher", "session", "status", "reason", "method", "signed_in_at"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Revoking a certificate (set *revoked at*) is done here for now."""

    list_display = ["serial", "enrolment", "hours", "issued_at", "revoked_at"]
    search_fields = ["serial", "enrolment__teacher__name"]
    readonly_fields = ["enrolment", "serial", "hours", "issued_at", "issued_by"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["teacher", "programme", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["teacher", "programme"]
    # Decisions go through the programme page, which enrols within capacity and quota.
    readonly_fields = ["status", "decided_by", "decided_at", "decision_reason"]


@admin.register(SessionReminder)
class SessionReminderAdmin(admin.ModelAdmin):
    list_display = ["teacher", "session", "emailed", "sent_at"]
    raw_id_fields = ["teacher", "session"]
