"""The data export's tables of allowance rates (the district's defaults and the schools' own),
allowance payments and rewards."""

from django.utils.translation import gettext_lazy

from core.export_tables import ExportContext, Table, TableSpec, register_tables, table

from .models import AllowancePayment, Rate, Reward


def _rates(ctx: ExportContext) -> Table:
    return table(ctx.defaults_or_schools(Rate).order_by("district_id", "school_id", "pk"))


def _payments(ctx: ExportContext) -> Table:
    return table(ctx.visible(AllowancePayment, "school").order_by("month", "teacher_id", "pk"))


def _rewards(ctx: ExportContext) -> Table:
    return table(ctx.visible(Reward, "school").order_by("awarded_on", "pk"))


register_tables(
    TableSpec("allowance_rates", gettext_lazy("Allowance rates"), _rates),
    TableSpec("allowance_payments", gettext_lazy("Allowance payments"), _payments),
    TableSpec("rewards", gettext_lazy("Rewards"), _rewards),
    position=70,
)
