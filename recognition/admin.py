from django.contrib import admin

from .models import AllowancePayment, Rate, Reward


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = ["kind", "tier", "district", "school", "amount", "valid_from"]
    list_filter = ["kind", "district"]
    raw_id_fields = ["school", "tier", "created_by"]


@admin.register(AllowancePayment)
class AllowancePaymentAdmin(admin.ModelAdmin):
    list_display = ["teacher", "school", "month", "tier", "amount", "paid_on"]
    list_filter = ["month"]
    raw_id_fields = ["teacher", "school", "tier", "designation", "recorded_by"]


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["teacher", "school", "kind", "title", "amount", "awarded_on", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["teacher", "school", "designation", "pairing", "decided_by", "created_by"]
