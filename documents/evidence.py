"""The title-appraisal evidence pack (职称评审材料): what a title application asks for over the
last N school years, one A4 PDF. It is gathered by the dossier's own gathering (dossier_data),
narrowed to the years asked for, and printed by a job like the dossier and the handbook. Only
verified records and released annual grades (assessment.selectors.released_grade_filter) are
printed."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import AnnualGrade
from assessment.selectors import released_grade_filter
from core.files import document_filename, year_part
from core.jobs import JobContext, job_handler
from core.models import school_year_label, school_year_start
from core.pdf import html_to_pdf, render_html, require_cjk_font
from records.hours import Hours
from teachers.models import Teacher, Title

from .dossier import Dossier, YearSection, dossier_data
from .dossier.printing import _teacher_for_job

EVIDENCE_TEMPLATE = "documents/evidence/evidence.html"
YEARS_DEFAULT = 5
YEARS_MAX = 15


@dataclass
class EvidenceYear:
    """One school year of the summary table: hours against the requirement, the grade."""

    year: int
    hours: Hours
    grade: AnnualGrade | None

    @property
    def label(self) -> str:
        return school_year_label(self.year)


@dataclass
class EvidencePack:
    dossier: Dossier
    first_year: int
    last_year: int
    applied_title: int | None
    years: list[EvidenceYear]  # oldest first, every year of the period
    designations: list
    open_classes: list
    papers: list
    projects: list
    lectures: list
    mentor_pairings: list
    apprentice_pairings: list
    outcomes: list
    programmes: list  # (enrolment, valid certificate or None)
    trainings: list
    last_title: object = None  # the latest TitleAward, if any
    sections: list[YearSection] = field(default_factory=list)

    @property
    def teacher(self) -> Teacher:
        return self.dossier.teacher

    @property
    def period_label(self) -> str:
        first, last = school_year_label(self.first_year), school_year_label(self.last_year)
        if first == last:
            return first
        return _("%(first)s to %(last)s") % {"first": first, "last": last}

    @property
    def applied_title_label(self) -> str:
        return Title(self.applied_title).label if self.applied_title is not None else ""

    @property
    def years_since_title(self) -> int | None:
        if self.last_title is None:
            return None
        return self.last_year - school_year_start(self.last_title.awarded_on) + 1


def _unique(items) -> list:
    """A pairing spanning several years is listed in each: once is enough here."""
    return list({item.pk: item for item in items}.values())


def evidence_data(
    *,
    teacher: Teacher,
    years: int = YEARS_DEFAULT,
    applied_title: int | None = None,
    today: datetime.date | None = None,
) -> EvidencePack:
    today = today or timezone.localdate()
    years = max(1, min(int(years), YEARS_MAX))
    dossier = dossier_data(teacher=teacher, today=today)
    last_year = school_year_start(today)
    first_year = last_year - years + 1
    sections = sorted(
        (y for y in dossier.years if first_year <= y.year <= last_year), key=lambda y: y.year
    )
    released = set(
        AnnualGrade.objects.filter(teacher=teacher, year__gte=first_year)
        .filter(released_grade_filter())
        .values_list("pk", flat=True)
    )
    by_year = {y.year: y for y in sections}
    summary = []
    for year in range(first_year, last_year + 1):
        section = by_year.get(year)
        grade = section.grade if section else None
        summary.append(
            EvidenceYear(
                year=year,
                hours=section.hours if section else Hours(),
                grade=grade if grade is not None and grade.pk in released else None,
            )
        )

    def gather(name: str) -> list:
        return [item for y in sections for item in getattr(y, name)]

    # A paper with a prize is filed with the prizes; an open class with a prize is in both.
    papers = gather("papers") + [p for p in gather("prizes") if hasattr(p, "paper_title")]
    papers.sort(key=lambda p: (p.date, p.pk))
    designations = [
        d
        for d in reversed(dossier.designations)  # oldest first
        if d.last_year >= first_year and d.first_year <= last_year
    ]
    return EvidencePack(
        dossier=dossier,
        first_year=first_year,
        last_year=last_year,
        applied_title=applied_title,
        years=summary,
        designations=designations,
        open_classes=gather("open_classes"),
        papers=papers,
        projects=gather("projects"),
        lectures=gather("lectures"),
        mentor_pairings=_unique(gather("as_mentor")),
        apprentice_pairings=_unique(gather("as_apprentice")),
        outcomes=gather("outcomes"),
        programmes=gather("programmes"),
        trainings=gather("trainings"),
        last_title=dossier.title_awards[-1] if dossier.title_awards else None,
        sections=sections,
    )


def evidence_html(*, pack: EvidencePack, language: str) -> str:
    context = {"pack": pack, "dossier": pack.dossier, "today": timezone.localdate()}
    return render_html(EVIDENCE_TEMPLATE, context, language=language)


def evidence_filename(teacher: Teacher) -> str:
    year = year_part(school_year_start(timezone.localdate()))
    return document_filename(
        teacher.school.name,
        teacher.name,
        teacher.staff_no,
        year,
        _("Title appraisal evidence"),
        ext="pdf",
    )


def evidence_params(*, years, applied_title) -> dict:
    """The printing choices, checked: what the request stores and the job reads."""
    try:
        years = int(years)
    except (TypeError, ValueError):
        years = YEARS_DEFAULT
    years = max(1, min(years, YEARS_MAX))
    try:
        applied = int(applied_title)
    except (TypeError, ValueError):
        applied = None
    if applied not in Title.values or applied == Title.NONE:
        applied = None
    return {"years": years, "applied_title": applied}


@job_handler("evidence_pack")
def evidence_pack(ctx: JobContext) -> None:
    require_cjk_font()
    teacher = _teacher_for_job(ctx)
    ctx.set_total(2)
    ctx.set_step(_("Collecting the records of %(name)s") % {"name": teacher.name})
    choices = evidence_params(
        years=ctx.params.get("years"), applied_title=ctx.params.get("applied_title")
    )
    pack = evidence_data(teacher=teacher, **choices)
    ctx.advance(text=_("Printing the PDF"))
    pdf = html_to_pdf(evidence_html(pack=pack, language=ctx.job.language))
    ctx.output_path(evidence_filename(teacher)).write_bytes(pdf)
    ctx.advance()
