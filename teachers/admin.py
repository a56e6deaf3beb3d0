from django.contrib import admin

from .models import Teacher


@admin.register(Teacher)
class TeacherAdmin(admin.ModelAdmin):
    list_display = ["staff_no", "name", "school", "subject", "title", "is_active"]
    list_filter = ["school__district", "school", "is_active", "title", "education"]
    search_fields = ["staff_no", "name"]
    raw_id_fields = ["user"]
    list_select_related = ["school"]
