"""The teacher dossier (业务档案): one teacher's whole professional file as an A4 PDF, and
batches of them (a ZIP of PDFs or one combined PDF with a table of contents).

Only verified records are printed; pending ones appear as counts. Gathering one teacher's data
costs a fixed number of queries plus a few per school year with a tier designation (the duty
check), however many records there are.
"""

import base64
import datetime
import hashlib
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.duties import duty_statuses
from assessment.models import AnnualGrade, AssessmentEntry, AssessmentRound
from backbone.models import Designation
from core.files import document_filename, safe_filename, year_part
from core.jobs import JobContext, JobError, job_handler
from core.models import school_year_label, school_year_start
from core.pdf import html_to_pdf, render_html, require_cjk_font
from mentoring.models import Pairing
from mentoring.outcomes import outcomes_for_mentors
from mentoring.selectors import HELD_STATUSES
from records.hours import Hours
from records.models import Kind, Record, Status, Training
from teachers.models import Teacher

from .print_progress import (
    PRINT_UNITS_PER_TEACHER,
    PrintProgress,
    expected_pages,
    weasyprint_progress,
)

DOSSIER_TEMPLATE = "documents/dossier/dossier.html"
COMBINED_TEMPLATE = "documents/dossier/combined.html"
RECORD_CHILDREN = (
    "openclass",
    "observation",
    "paper",
    "researchproject",
    "lecture",
    "training",
    "selfdevelopmentplan",
)
PRINTED_ROUNDS = (
    AssessmentRound.Status.FINALISED,
    AssessmentRound.Status.POSTED,
    AssessmentRound.Status.LOCKED,
)


# -- what changes the dossier ----------------------------------------------------------------
def _latest(model, field_name: str, teacher_field: str = "teacher"):
    """A subquery: the latest ``field_name`` (or the row count) of the teacher's rows."""
    rows = model.objects.filter(**{teacher_field: OuterRef("pk")}).order_by().values(teacher_field)
    if field_name == "count":
        return Coalesce(
            Subquery(rows.annotate(v=Count("pk")).values("v")[:1], output_field=IntegerField()),
            0,
        )
    return Subquery(rows.annotate(v=Max(field_name)).values("v")[:1])


STAMP_FIELDS = {
    "records_changed": (Record, "updated_at", "teacher"),
    "records": (Record, "count", "teacher"),
    "designations_created": (Designation, "created_at", "teacher"),
    "designations_closed": (Designation, "closed_on", "teacher"),
    "designations_flagged": (Designation, "flagged_at", "teacher"),
    "designations": (Designation, "count", "teacher"),
    "grades_changed": (AnnualGrade, "recorded_at", "teacher"),
    "grades": (AnnualGrade, "count", "teacher"),
    "entries_finalised": (AssessmentEntry, "round__finalised_at", "teacher"),
    "entries": (AssessmentEntry, "count", "teacher"),
    "mentor_pairings": (Pairing, "created_at", "mentor"),
    "mentor_pairings_ended": (Pairing, "ended_on", "mentor"),
    "mentor_pairings_approved": (Pairing, "approved_at", "mentor"),
    "apprentice_pairings": (Pairing, "created_at", "apprentice"),
    "apprentice_pairings_ended": (Pairing, "ended_on", "apprentice"),
    "apprentice_pairings_approved": (Pairing, "approved_at", "apprentice"),
}


def with_data_stamps(teachers: QuerySet) -> QuerySet:
    """Annotate each teacher with the latest change of every kind of data a dossier prints."""
    return teachers.annotate(
        **{f"stamp_{name}": _latest(*spec) for name, spec in STAMP_FIELDS.items()}
    )


def _teacher_stamp(teacher: Teacher) -> list:
    values = [teacher.pk, teacher.updated_at]
    values += [getattr(teacher, f"stamp_{name}") for name in STAMP_FIELDS]
    return values


def dossier_fingerprint(*, teachers: list[Teacher], language: str, extra=None) -> str:
    """Teachers (annotated by ``with_data_stamps``), language and print date: the same request
    over unchanged data on the same day gets the same fingerprint, and so the stored file.
    The day counts because the cover prints it and duty statuses depend on it."""
    payload = [
        language,
        timezone.localdate().isoformat(),
        extra,
        [_teacher_stamp(t) for t in teachers],
    ]
    text = json.dumps(payload, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


# -- gathering ------------------------------------------------------------------------------
@dataclass
class YearSection:
    year: int
    duties: list = field(default_factory=list)
    open_classes: list = field(default_factory=list)
    observations: list = field(default_factory=list)
    papers: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    lectures: list = field(default_factory=list)
    trainings: list = field(default_factory=list)
    hours: Hours = field(default_factory=Hours)
    as_mentor: list = field(default_factory=list)
    as_apprentice: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    grade: AnnualGrade | None = None
    entries: list = field(default_factory=list)
    pending: int = 0

    @property
    def label(self) -> str:
        return school_year_label(self.year)

    @property
    def anchor(self) -> str:
        return f"y{self.year}"


@dataclass
class Dossier:
    teacher: Teacher
    today: datetime.date
    designations: list
    current: Designation | None
    years: list[YearSection]
    plans: list
    observations: list  # every verified observation, for the appendix
    photo_uri: str = ""  # the teacher's portrait, embedded, or empty

    @property
    def anchor(self) -> str:
        return f"t{self.teacher.pk}"

    @property
    def term_label(self) -> str:
        return self.current.term_label if self.current else ""


def _years_of(start: datetime.date, end: datetime.date) -> range:
    return range(school_year_start(start), school_year_start(end) + 1)


def _hours_by_year(teacher: Teacher) -> dict[int, Hours]:
    verified, pending = Q(status=Status.VERIFIED), Q(status=Status.SUBMITTED)
    rows = (
        Training.objects.filter(teacher=teacher, status__in=[Status.VERIFIED, Status.SUBMITTED])
        .order_by()
        .values("year")
        .annotate(
            v=Sum("hours", filter=verified),
            vs=Sum("hours", filter=verified & Q(school_based=True)),
            p=Sum("hours", filter=pending),
            ps=Sum("hours", filter=pending & Q(school_based=True)),
        )
    )
    return {
        row["year"]: Hours(
            total=Decimal(row["v"] or 0),
            school_based=Decimal(row["vs"] or 0),
            pending=Decimal(row["p"] or 0),
            pending_school_based=Decimal(row["ps"] or 0),
        )
        for row in rows
    }


def dossier_data(*, teacher: Teacher, today: datetime.date | None = None) -> Dossier:
    """Everything one dossier prints. ``teacher`` has school (and district) selected."""
    today = today or timezone.localdate()
    this_year = school_year_start(today)
    designations = list(
        Designation.objects.filter(teacher=teacher)
        .select_related("tier", "promoted_to__tier")
        .order_by("-first_year", "-designated_on", "-pk")
    )
    current = next(
        (
            d
            for d in designations
            if not d.is_honorary
            and d.status == Designation.Status.ACTIVE
            and d.first_year <= this_year <= d.last_year
        ),
        None,
    )
    records = list(
        Record.objects.filter(teacher=teacher, status=Status.VERIFIED)
        .select_related(*RECORD_CHILDREN, "observation__observed_teacher")
        .order_by("date", "pk")
    )
    pending = dict(
        Record.objects.filter(teacher=teacher, status=Status.SUBMITTED)
        .order_by()
        .values_list("year")
        .annotate(n=Count("pk"))
    )
    hours = _hours_by_year(teacher)
    grades = {g.year: g for g in AnnualGrade.objects.filter(teacher=teacher)}
    entries = list(
        AssessmentEntry.objects.filter(teacher=teacher, round__status__in=PRINTED_ROUNDS)
        .select_related("round")
        .order_by("round__year", "round__semester", "round__pk")
    )
    pairings = list(
        Pairing.objects.filter(Q(mentor=teacher) | Q(apprentice=teacher), status__in=HELD_STATUSES)
        .select_related("mentor", "apprentice")
        .order_by("start_date", "pk")
    )
    outcomes = outcomes_for_mentors(mentors=[teacher])[teacher.pk]

    sections: dict[int, YearSection] = {}

    def section(year: int) -> YearSection:
        if year not in sections:
            sections[year] = YearSection(year=year)
        return sections[year]

    plans, observations = [], []
    lists = {
        Kind.OPEN_CLASS: "open_classes",
        Kind.OBSERVATION: "observations",
        Kind.PAPER: "papers",
        Kind.PROJECT: "projects",
        Kind.LECTURE: "lectures",
        Kind.TRAINING: "trainings",
    }
    for record in records:
        if record.kind == Kind.PLAN:
            plans.append(record.selfdevelopmentplan)
        elif record.kind in lists:
            detail = record.detail
            getattr(section(record.year), lists[record.kind]).append(detail)
            if record.kind == Kind.OBSERVATION:
                observations.append(detail)
    for year, count in pending.items():
        section(year).pending = count
    for year, value in hours.items():
        section(year).hours = value
    for year, grade in grades.items():
        section(year).grade = grade
    for entry in entries:
        section(entry.round.year).entries.append(entry)
    for pairing in pairings:
        end = min(pairing.ended_on or pairing.end_date, today)
        for year in _years_of(pairing.start_date, max(end, pairing.start_date)):
            target = section(year).as_mentor if pairing.mentor_id == teacher.pk else None
            (target if target is not None else section(year).as_apprentice).append(pairing)
    for outcome in outcomes:
        section(school_year_start(outcome.achieved_on)).outcomes.append(outcome)
    tier_years = {
        year
        for d in designations
        if not d.is_honorary
        for year in range(d.first_year, min(d.last_year, this_year) + 1)
    }
    for year in sorted(tier_years):
        statuses = duty_statuses(teachers=[teacher], year=year, today=today)[teacher.pk]
        if statuses:
            section(year).duties = statuses
    years = [sections[y] for y in sorted(sections, reverse=True) if y <= this_year]
    plans.sort(key=lambda p: (p.first_year, p.pk), reverse=True)
    return Dossier(
        teacher=teacher,
        today=today,
        designations=designations,
        current=current,
        years=years,
        plans=plans,
        observations=observations,
        photo_uri=photo_uri(teacher),
    )


PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def photo_uri(teacher: Teacher) -> str:
    """The portrait as a data URI: the PDF carries it and the renderer reads no file path.
    A photo whose file went missing prints no photo rather than failing the dossier."""
    if not teacher.photo:
        return ""
    ext = teacher.photo.name.rsplit(".", 1)[-1].lower()
    try:
        with teacher.photo.open("rb") as f:
            data = f.read()
    except OSError:
        return ""
    mime = PHOTO_TYPES.get(ext, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


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
