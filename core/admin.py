from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    City,
    District,
    Holiday,
    Job,
    RoleAssignment,
    School,
    SchoolYear,
    Semester,
    TeachingGroup,
    User,
)


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["school", "district", "city"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "display_name", "email", "is_active", "is_superuser", "last_login"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Gugan"), {"fields": ["display_name", "language"]}),
    ]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "city"]
    list_filter = ["city"]
    search_fields = ["code", "name"]


class GroupInline(admin.TabularInline):
    model = TeachingGroup
    extra = 0


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "district", "language"]
    list_filter = ["district", "kind"]
    search_fields = ["code", "name"]
    inlines = [GroupInline]


class SemesterInline(admin.TabularInline):
    model = Semester
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["__str__", "district", "start_date", "end_date"]
    list_filter = ["district"]
    inlines = [SemesterInline]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "status", "requested_by", "created_at", "attempts"]
    list_filter = ["kind", "status"]
    readonly_fields = ["created_at", "started_at", "finished_at"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "start_date", "end_date"]
    list_filter = ["district"]
