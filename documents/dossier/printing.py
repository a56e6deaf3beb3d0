"""Printing dossiers: the HTML, the file names, and the jobs for one teacher and for batches
(a ZIP of PDFs or one combined PDF with a table of contents)."""

import zipfile
from collections import defaultdict

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.models import Designation
from core.files import document_filename, safe_filename, year_part
from core.jobs import JobContext, JobError, job_handler
from core.models import school_year_start
from core.pdf import html_to_pdf, render_html, require_cjk_font
from teachers.models import Teacher

from ..print_progress import (
    PRINT_UNITS_PER_TEACHER,
    PrintProgress,
    expected_pages,
    weasyprint_progress,
)
from .gathering import Dossier, dossier_data

DOSSIER_TEMPLATE = "documents/dossier/dossier.html"
COMBINED_TEMPLATE = "documents/dossier/combined.html"


# -- rendering ------------------------------------------------------------------------------
def dossier_html(*, dossiers: list[Dossier], language: str, combined: bool = False) -> str:
    template = COMBINED_TEMPLATE if combined else DOSSIER_TEMPLATE
    context = {
        "dossiers": dossiers,
        "dossier": dossiers[0] if dossiers else None,
        "today": timezone.localdate(),
    }
    return render_html(template, context, language=language)


def dossier_filename(teacher: Teacher) -> str:
    year = year_part(school_year_start(timezone.localdate()))
    return document_filename(
        teacher.school.name, teacher.name, teacher.staff_no, year, _("Teacher dossier"), ext="pdf"
    )


def batch_filename(school, ext: str) -> str:
    year = year_part(school_year_start(timezone.localdate()))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return document_filename(school.name, year, _("Teacher dossiers"), stamp, ext=ext)


def teachers_for(user) -> QuerySet[Teacher]:
    """Teachers whose dossier ``user`` may print: staff and the district office see their
    schools' teachers; a teacher prints their own."""
    return Teacher.objects.visible_to(user).select_related("school__district", "group")


def _teacher_for_job(ctx: JobContext) -> Teacher:
    # The scope (and filters) apply again at run time, as the requester narrowed to the
    # job's owner: the file's audience (core.job_files).
    teacher = teachers_for(ctx.viewer).filter(pk=ctx.params.get("teacher")).first()
    if teacher is None:
        raise JobError(_("The teacher no longer exists or is out of your reach."))
    return teacher


@job_handler("teacher_dossier")
def teacher_dossier(ctx: JobContext) -> None:
    require_cjk_font()
    teacher = _teacher_for_job(ctx)
    ctx.set_total(2)
    ctx.set_step(_("Collecting the records of %(name)s") % {"name": teacher.name})
    dossier = dossier_data(teacher=teacher)
    ctx.advance(text=_("Printing the PDF"))
    pdf = html_to_pdf(dossier_html(dossiers=[dossier], language=ctx.job.language))
    ctx.output_path(dossier_filename(teacher)).write_bytes(pdf)
    ctx.advance()


def batch_teachers(*, user, school_id: int, params: dict) -> QuerySet[Teacher]:
    """The active teachers of one school chosen by tier, group or an explicit list."""
    teachers = teachers_for(user).filter(school_id=school_id, is_active=True)
    if params.get("teachers"):
        teachers = teachers.filter(pk__in=params["teachers"])
    if params.get("group"):
        teachers = teachers.filter(group_id=params["group"])
    if params.get("tier"):
        this_year = school_year_start(timezone.localdate())
        held = Designation.objects.filter(
            tier_id=params["tier"],
            status=Designation.Status.ACTIVE,
            first_year__lte=this_year,
            last_year__gte=this_year,
        )
        teachers = teachers.filter(pk__in=held.values("teacher_id"))
    return teachers.order_by("staff_no")


@job_handler("batch_dossiers")
def batch_dossiers(ctx: JobContext) -> None:
    require_cjk_font()
    params = ctx.params
    teachers = list(batch_teachers(user=ctx.viewer, school_id=ctx.job.school_id, params=params))
    if not teachers:
        raise JobError(_("No teacher matches this selection."))
    language = ctx.job.language
    school = teachers[0].school
    if params.get("format") == "combined":
        pdf = _combined_pdf(ctx, teachers=teachers, language=language)
        name = batch_filename(school, "pdf")
        ctx.output_path(name).write_bytes(pdf)
        return
    total = len(teachers)
    ctx.set_total(total + 1)

    def step(done: int) -> str:
        return _("%(done)s / %(total)s teachers") % {"done": done, "total": total}

    ctx.set_step(step(0))
    name = batch_filename(school, "zip")
    seen: dict[str, int] = defaultdict(int)
    with zipfile.ZipFile(ctx.output_path(name), "w", zipfile.ZIP_DEFLATED) as archive:
        for i, teacher in enumerate(teachers, start=1):
            dossier = dossier_data(teacher=teacher)
            pdf = html_to_pdf(dossier_html(dossiers=[dossier], language=language))
            filename = safe_filename(dossier_filename(teacher))
            seen[filename] += 1
            if seen[filename] > 1:
                filename = filename.replace(".pdf", f"-{seen[filename]}.pdf")
            archive.writestr(filename, pdf)
            ctx.advance(text=step(i))
    ctx.advance()


# -- the combined batch: one PDF, one layout (progress: documents/print_progress.py) ------
def _combined_pdf(ctx: JobContext, *, teachers: list[Teacher], language: str) -> bytes:
    total = len(teachers)
    ctx.set_total(total * (1 + PRINT_UNITS_PER_TEACHER))
    dossiers = []
    for i, teacher in enumerate(teachers, start=1):
        dossiers.append(dossier_data(teacher=teacher))
        ctx.advance(
            text=_("Collecting the records: %(done)s / %(total)s teachers")
            % {"done": i, "total": total}
        )
    html = dossier_html(dossiers=dossiers, language=language, combined=True)
    progress = PrintProgress(ctx, teachers=total, pages=expected_pages(html, teachers=total))
    with weasyprint_progress(progress.on_log):
        pdf = html_to_pdf(html)
    ctx.advance(ctx.job.total - ctx.job.progress)
    return pdf
