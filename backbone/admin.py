from django.contrib import admin

from .models import Designation, EligibilityRuleSet, ReserveEntry, SelectionRound, Target, Tier


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "district", "kind", "level", "default_term_years"]
    list_filter = ["district", "kind"]


@admin.register(Designation)
class DesignationAdmin(admin.ModelAdmin):
    list_display = ["teacher", "tier", "first_year", "last_year", "status", "source"]
    list_filter = ["status", "tier__code", "source"]
    search_fields = ["teacher__name", "teacher__staff_no", "certificate_no"]
    raw_id_fields = ["teacher", "round", "promoted_to"]


admin.site.register([EligibilityRuleSet, ReserveEntry, SelectionRound, Target])
