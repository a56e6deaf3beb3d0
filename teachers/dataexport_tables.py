"""The data export's table of teachers; a teacher is named "李老师 (L001)" in every table."""

from operator import attrgetter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.export_tables import (
    Column,
    ExportContext,
    Table,
    TableSpec,
    register_named,
    register_tables,
    table,
)
from core.wording import in_brackets

from .models import Teacher


def teacher_label(obj) -> str:
    return "" if obj is None else teacher_label_of(obj.name, obj.staff_no)


def teacher_label_of(name: str, staff_no: str) -> str:
    return f"{name}{in_brackets(staff_no)}"


def _teachers(ctx: ExportContext) -> Table:
    qs = ctx.visible(Teacher, "school").order_by("school__code", "staff_no")
    derived = [
        Column(_("Years of teaching"), attrgetter("years_of_teaching")),
        Column(_("Age"), attrgetter("age")),
        Column(_("Growth stage"), attrgetter("growth_stage_label")),
    ]
    override = {
        "posts": lambda t: "、".join(t.get_posts_display()),
        "user": lambda t: t.user.username if t.user else "",
    }
    return table(qs, last=derived, joins=["school__district", "user"], override=override)


register_named(Teacher, teacher_label, fields=("name", "staff_no"), show_values=teacher_label_of)
register_tables(TableSpec("teachers", gettext_lazy("Teachers"), _teachers), position=20)
