"""The data export's tables of organisations: the schools and their teaching groups."""

from django.utils.translation import gettext_lazy

from .export_tables import ExportContext, Table, TableSpec, register_tables, table
from .models import School, TeachingGroup


def _schools(ctx: ExportContext) -> Table:
    qs = School.objects.filter(pk__in=ctx.schools).order_by("code")
    return table(qs)


def _groups(ctx: ExportContext) -> Table:
    qs = TeachingGroup.objects.filter(school_id__in=ctx.schools).order_by("school__code", "pk")
    return table(qs)


register_tables(
    TableSpec("schools", gettext_lazy("Schools"), _schools),
    TableSpec("teaching_groups", gettext_lazy("Teaching groups"), _groups),
    position=10,
)
