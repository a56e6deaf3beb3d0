from django.contrib import admin

from .models import AnnualGrade


@admin.register(AnnualGrade)
class AnnualGradeAdmin(admin.ModelAdmin):
    list_display = ["teacher", "year", "grade"]
    list_filter = ["year", "grade"]
    raw_id_fields = ["teacher"]
