"""The roster as an xlsx workbook, produced by a background job so district-wide exports
never hold a request."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from core.files import current_year_part, document_filename, time_part
from core.jobs import JobContext, job_handler
from core.writers import XlsxWorkbook

from .filters import TeacherFilter
from .selectors import teacher_list


def roster_columns():
    return [
        (_("School"), lambda t: t.school.name),
        (_("Staff number"), lambda t: t.staff_no),
        (_("Name"), lambda t: t.name),
        (_("Gender"), lambda t: t.get_gender_display()),
        (_("Birth date"), lambda t: t.birth_date),
        (_("Teaching since"), lambda t: t.career_start),
        (_("Years of teaching"), lambda t: t.years_of_teaching),
        (_("Age"), lambda t: t.age),
        (_("Growth stage"), lambda t: t.growth_stage_label),
        (_("Education"), lambda t: t.get_education_display()),
        (_("Professional title"), lambda t: t.get_title_display()),
        (_("Subject"), lambda t: t.subject),
        (_("Grades taught"), lambda t: t.grades),
        (_("Teaching-research group"), lambda t: t.group.name if t.group else ""),
        (_("Posts"), lambda t: "、".join(t.get_posts_display())),
        (_("Mobile phone"), lambda t: t.phone),
        (_("Email"), lambda t: t.email),
        (_("Status"), lambda t: _("On staff") if t.is_active else _("Left")),
    ]


@job_handler("roster_export")
def roster_export(ctx: JobContext) -> None:
    user = ctx.viewer
    # The scope (and filters) apply again at run time, as the requester narrowed to the
    # job's owner: the file's audience (core.job_files).
    data = QueryDict(ctx.params.get("query", ""))
    teachers = TeacherFilter(data, queryset=teacher_list(user=user), user=user).qs
    ctx.set_total(teachers.count())
    columns = roster_columns()
    wb = XlsxWorkbook()
    ws = wb.add_sheet(_("Teachers"), [label for label, _get in columns], width=14)
    for i, teacher in enumerate(teachers.iterator(chunk_size=500), start=1):
        ws.append([get(teacher) for _label, get in columns])
        if i % 200 == 0:
            ctx.advance(200)
    name = document_filename(
        ctx.owner_name, current_year_part(), _("Teacher roster"), time_part(), ext="xlsx"
    )
    wb.save(ctx.output_path(name))
