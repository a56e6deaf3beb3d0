"""优秀案例集: the best shared cases of a school year, chosen by the school's principal or
training office, printed as one PDF by a background job (core.jobs): a cover, the contents,
and a page per case with its author, award and files. The items are read again at run time,
as the requester narrowed to the school the file is filed under (core.job_files)."""

from django.utils.translation import gettext as _

from core.files import document_filename, year_part
from core.jobs import JobContext, JobError, job_handler
from core.models import School, school_year_label
from core.pdf import html_to_pdf, render_html, require_cjk_font
from records.models import Attachment

from .models import SharedItem

JOB_KIND = "library_collection"


def collection_items(*, viewer, school: School, year: int) -> list[SharedItem]:
    items = list(
        SharedItem.objects.visible_to(viewer)
        .filter(selected=True, record__year=year, record__teacher__school=school)
        .select_related("record__teacher__school", "record__paper", "record__readingnote")
        .order_by("kind", "record__date", "pk")
    )
    files: dict[int, list[str]] = {}
    for record_id, name in Attachment.objects.filter(
        record_id__in=[i.record_id for i in items], removed_at__isnull=True
    ).values_list("record_id", "original_name"):
        files.setdefault(record_id, []).append(name)
    for item in items:
        item.file_names = files.get(item.record_id, [])
    return items


def collection_filename(school: School, year: int) -> str:
    return document_filename(school.name, year_part(year), _("Collection of best cases"), ext="pdf")


@job_handler(JOB_KIND)
def collection_print(ctx: JobContext) -> None:
    require_cjk_font()
    school = ctx.job.school
    year = int(ctx.params.get("year") or 0)
    if school is None or not ctx.viewer.scope.can_manage_school(school.pk):
        raise JobError(_("The collection is printed by the school's principal or training office."))
    items = collection_items(viewer=ctx.viewer, school=school, year=year)
    if not items:
        raise JobError(_("No case of this school year is chosen for the collection yet."))
    ctx.set_total(2)
    ctx.set_step(_("Printing %(count)d cases") % {"count": len(items)})
    html = render_html(
        "contests/collection_pdf.html",
        {"school": school, "year_label": school_year_label(year), "items": items},
        language=ctx.job.language,
    )
    ctx.advance()
    ctx.output_path(collection_filename(school, year)).write_bytes(html_to_pdf(html))
    ctx.advance()
