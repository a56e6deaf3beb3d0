"""The backbone roster as an xlsx workbook, produced by a background job (core.jobs).

Registered by importing this module from backbone.views.designations."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from core.files import current_year_part, document_filename, time_part
from core.jobs import JobContext, job_handler
from core.models import school_year_label
from core.writers import XlsxWorkbook

from .filters import RosterFilter
from .selectors.designations import roster_list

KIND = "backbone_roster_export"


def roster_columns():
    return [
        (_("School"), lambda d: d.teacher.school.name),
        (_("Staff number"), lambda d: d.teacher.staff_no),
        (_("Name"), lambda d: d.teacher.name),
        (_("Subject"), lambda d: d.teacher.subject),
        (_("Teaching-research group"), lambda d: d.teacher.group.name if d.teacher.group else ""),
        (_("Tier"), lambda d: d.tier.label),
        (_("Honorary titles"), lambda d: "、".join(t.tier.label for t in d.teacher.current_titles)),
        (_("Term"), lambda d: d.term_label),
        (_("Last school year"), lambda d: school_year_label(d.last_year)),
        (_("Designated by"), lambda d: d.designated_by),
        (_("Certificate number"), lambda d: d.certificate_no),
        (_("Source"), lambda d: d.get_source_display()),
        (_("Designated on"), lambda d: d.designated_on),
    ]


@job_handler(KIND)
def backbone_roster_export(ctx: JobContext) -> None:
    user = ctx.viewer
    # The scope (and filters) apply again at run time, as the requester narrowed to the
    # job's owner: the file's audience (core.job_files).
    data = QueryDict(ctx.params.get("query", ""))
    designations = RosterFilter(data, queryset=roster_list(user=user), user=user).qs
    ctx.set_total(designations.count())
    columns = roster_columns()
    wb = XlsxWorkbook()
    ws = wb.add_sheet(_("Backbone roster"), [label for label, _get in columns], width=16)
    # Prefetching needs chunked iteration (Django ≥ 4.1 prefetches per chunk).
    for i, designation in enumerate(designations.iterator(chunk_size=500), start=1):
        ws.append([get(designation) for _label, get in columns])
        if i % 200 == 0:
            ctx.advance(200)
    name = document_filename(
        ctx.owner_name, current_year_part(), _("Backbone roster"), time_part(), ext="xlsx"
    )
    wb.save(ctx.output_path(name))
