from django.contrib import admin

from .models import Item, Panel, PanelMember


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "recused", "recused_reason", "left_at"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["pk", "school", "district", "revealed_at", "created_at"]
    inlines = [ItemInline, PanelMemberInline]
