"""The data export's tables of honours lists and their candidates. A candidate row holds only
what the records said when the list was read: released grades, never a round's secret one."""

from django.utils.translation import gettext_lazy

from core.export_tables import ExportContext, Table, TableSpec, register_tables, table

from .models import HonourCandidate, HonourList


def _lists(ctx: ExportContext) -> Table:
    return table(ctx.visible(HonourList, "school").order_by("school__code", "year"))


def _candidates(ctx: ExportContext) -> Table:
    qs = ctx.visible(HonourCandidate, "honour_list__school").order_by(
        "honour_list__school__code", "honour_list__year", "position"
    )
    return table(qs)


register_tables(
    TableSpec("honour_lists", gettext_lazy("Honours lists"), _lists),
    TableSpec("honour_candidates", gettext_lazy("Honours candidates"), _candidates),
    position=65,
)
