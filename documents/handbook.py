"""The growth handbook (成长手册) of a young teacher: one A4 PDF in the four parts the seeds
give it (present state, self-plan, growth footprints, work results) and a foreword line for
the principal. It is gathered by the dossier's own gathering (dossier_data) and printed by a
job like the dossier; only verified records are printed."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.duties import duty_statuses
from core.files import document_filename, year_part
from core.jobs import JobContext, job_handler
from core.models import school_year_start
from core.pdf import html_to_pdf, render_html, require_cjk_font
from teachers.models import Teacher

from .dossier import Dossier, dossier_data
from .dossier.printing import _teacher_for_job

HANDBOOK_TEMPLATE = "documents/handbook/handbook.html"
FOREWORD_MAX = 200


@dataclass
class Footprint:
    """One step on the growth path: a dated line of the third part."""

    date: datetime.date
    kind: str
    text: str


@dataclass
class Handbook:
    dossier: Dossier
    stage_label: str
    duties: list  # this school year's duties (the stage's, or the tier's)
    footprints: list[Footprint]
    results: dict[str, list]  # papers, prizes, projects, lectures, certificates
    foreword: str = ""

    @property
    def teacher(self) -> Teacher:
        return self.dossier.teacher

    @property
    def plan(self):
        return self.dossier.plans[0] if self.dossier.plans else None

    @property
    def current_year(self):
        return self.dossier.years[0] if self.dossier.years else None

    @property
    def has_results(self) -> bool:
        return any(self.results.values())


def _footprints(dossier: Dossier) -> list[Footprint]:
    steps = []

    def add(day, kind, text):
        steps.append(Footprint(day, str(kind), text))

    t = dossier.teacher
    add(t.career_start, _("Began teaching"), t.school.name)
    for held in dossier.posts_held:
        add(held.started_on, _("Took on a post"), held.get_post_display())
    for award in dossier.title_awards:
        add(award.awarded_on, _("Title awarded"), award.get_title_display())
    for d in dossier.designations:
        add(d.designated_on or datetime.date(d.first_year, 9, 1), _("Designated"), d.tier.label)
    for y in dossier.years:
        for r in y.open_classes:
            add(r.date, r.get_class_kind_display(), r.topic)
        for r in y.reflections:
            add(r.date, _("Teaching reflection"), r.lesson)
        for r in y.readings:
            add(r.date, _("Reading note"), r.book)
        for r in y.study_trips:
            add(r.date, _("Study trip"), f"{r.destination} · {r.purpose}")
        for r in y.trainings:
            add(r.date, _("Training"), r.course)
        for p in y.as_apprentice:
            add(p.start_date, _("Mentored by"), p.mentor.name)
    # A pairing spanning several years is listed in each: once is enough here.
    unique = {(s.date, s.kind, s.text): s for s in steps}
    return sorted(unique.values(), key=lambda s: (s.date, s.kind))


def _results(dossier: Dossier) -> dict[str, list]:
    results = {"papers": [], "prizes": [], "projects": [], "lectures": [], "programmes": []}
    for y in reversed(dossier.years):  # oldest first
        results["papers"] += y.papers
        results["prizes"] += y.prizes
        results["projects"] += y.projects
        results["lectures"] += y.lectures
        results["programmes"] += [(e, c) for e, c in y.programmes if c is not None]
    return results


def handbook_data(
    *, teacher: Teacher, foreword: str = "", today: datetime.date | None = None
) -> Handbook:
    today = today or timezone.localdate()
    dossier = dossier_data(teacher=teacher, today=today)
    year = school_year_start(today)
    duties = duty_statuses(teachers=[teacher], year=year, today=today)[teacher.pk]
    return Handbook(
        dossier=dossier,
        stage_label=teacher.growth_stage_label,
        duties=duties,
        footprints=_footprints(dossier),
        results=_results(dossier),
        foreword=foreword.strip()[:FOREWORD_MAX],
    )


def handbook_html(*, handbook: Handbook, language: str) -> str:
    context = {"handbook": handbook, "dossier": handbook.dossier, "today": timezone.localdate()}
    return render_html(HANDBOOK_TEMPLATE, context, language=language)


def handbook_filename(teacher: Teacher) -> str:
    year = year_part(school_year_start(timezone.localdate()))
    return document_filename(
        teacher.school.name, teacher.name, teacher.staff_no, year, _("Growth handbook"), ext="pdf"
    )


@job_handler("growth_handbook")
def growth_handbook(ctx: JobContext) -> None:
    require_cjk_font()
    teacher = _teacher_for_job(ctx)
    ctx.set_total(2)
    ctx.set_step(_("Collecting the records of %(name)s") % {"name": teacher.name})
    handbook = handbook_data(teacher=teacher, foreword=ctx.params.get("foreword") or "")
    ctx.advance(text=_("Printing the PDF"))
    pdf = html_to_pdf(handbook_html(handbook=handbook, language=ctx.job.language))
    ctx.output_path(handbook_filename(teacher)).write_bytes(pdf)
    ctx.advance()
