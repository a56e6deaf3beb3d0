"""The result sheets of an assessment round (考核结果), printed by background jobs:

- the public-notice list (公示名单): every assessed teacher in rank order with tier, total
  score and grade, and the notice footer;
- each teacher's scored form (个人考核表): profile, facts, self-summary (述职), the score of
  every component, total, grade and signature lines; one teacher's, or every teacher's in one
  PDF with a table of contents.

Sheets are printed once the round is finalised, when every viewer of the round sees the scores
(see the secrecy rules in ``selectors``). A component's score is the average of the submitted
committee sheets, as the office reads it on the round page; no scorer is named.

The fingerprint of a request is a hash of what would be printed, so the same request over
unchanged data returns the stored file.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.duties import DutyState
from assessment.grading_facts import grade_reasons
from assessment.models import AssessmentComponent, AssessmentEntry, AssessmentRound, Grade
from assessment.selectors import can_print_sheets, decorate_facts, scores
from backbone.models import Designation, Tier
from core.dates import working_days
from core.files import document_filename, year_part
from core.jobs import JobContext, JobError, job_handler
from core.models import school_year_label
from core.pdf import html_to_pdf, render_html, require_cjk_font
from scoring import visibility
from scoring.selectors import competition_ranks

NOTICE_TEMPLATE = "documents/sheets/notice.html"
FORM_TEMPLATE = "documents/sheets/form.html"
FORMS_TEMPLATE = "documents/sheets/forms.html"
FORM_PART = "documents/sheets/_form.html"  # one teacher's form, inside either document

KIND_NOTICE = "assessment_notice"
KIND_FORMS = "assessment_forms"
KIND_FORM = "assessment_form"

ONE_PLACE, TWO_PLACES = Decimal("0.1"), Decimal("0.01")


def _state_label(value) -> str:
    try:
        return DutyState(value).label
    except ValueError:
        return value or ""


# -- what is printed ----------------------------------------------------------------------------
@dataclass
class Item:
    """One component of the form: the committee's average and the points it brings."""

    component: AssessmentComponent
    average: Decimal | None

    @property
    def points(self) -> Decimal | None:
        if self.average is None or not self.component.max_score:
            return None
        points = self.average / self.component.max_score * self.component.weight
        return points.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Row:
    """One assessed teacher."""

    entry: AssessmentEntry
    tier: Tier | None
    rank: int | None
    items: list[Item]
    sheets: int  # submitted committee sheets that scored this teacher

    @property
    def teacher(self):
        return self.entry.teacher

    @property
    def anchor(self) -> str:
        return f"e{self.entry.pk}"

    @property
    def grade_reasons(self) -> list[str]:
        """Why the grade is below the one the score reaches, in the reader's language."""
        return grade_reasons(self.entry, self.entry.round.template)

    @property
    def duties(self) -> list[dict]:
        """The duty facts (labelled by ``decorate_facts``) with their status in words."""
        return [{**d, "status_label": _state_label(d.get("status"))} for d in self.entry.duty_rows]

    def payload(self) -> list:
        t, e = self.teacher, self.entry
        return [
            e.pk,
            [t.pk, t.updated_at, t.group.name if t.group else None],
            [self.tier.pk, self.tier.name, self.tier.name_en] if self.tier else None,
            self.rank,
            [e.score, e.grade, e.explanation, e.absent_without_reason, e.facts],
            [[i.component.pk, i.average] for i in self.items],
            self.sheets,
        ]


@dataclass
class RoundSheets:
    round: AssessmentRound
    components: list[AssessmentComponent]
    rows: list[Row]  # rank order; teachers without a score last

    @property
    def year_label(self) -> str:
        return school_year_label(self.round.year)

    @property
    def notice_working_days(self) -> int | None:
        r = self.round
        if not (r.notice_from and r.notice_until):
            return None
        return working_days(r.notice_from, r.notice_until, district_id=r.school.district_id)

    @property
    def scored(self) -> list[Row]:
        return [r for r in self.rows if r.entry.score is not None]

    def grade_counts(self) -> list[tuple[str, int]]:
        """(grade, teachers) from excellent down, for the notice's summary line."""
        counts = {g: 0 for g in Grade}
        for row in self.rows:
            if row.entry.grade is not None:
                counts[Grade(row.entry.grade)] += 1
        return [(g.label, counts[g]) for g in reversed(Grade)]

    def row_for(self, teacher_id: int) -> Row:
        return next(r for r in self.rows if r.teacher.pk == teacher_id)

    def fingerprint(self, *, kind: str, language: str, teacher_id: int | None = None) -> str:
        r, t = self.round, self.round.template
        rows = self.rows if teacher_id is None else [self.row_for(teacher_id)]
        payload = [
            kind,
            language,
            teacher_id,
            [r.pk, r.title, r.year, r.semester, r.created_at, r.finalised_at],
            [r.notice_from, r.notice_until, r.notice_contact, len(self.scored)],
            [self.notice_working_days],
            [r.school.pk, r.school.name, t.name, t.kind],
            [t.excellent_from, t.good_from, t.qualified_from, t.missed_core_duty_cap],
            [[c.pk, c.name, c.weight, c.max_score] for c in self.components],
            [row.payload() for row in rows],
        ]
        text = json.dumps(payload, default=str, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def sheets_problem(round: AssessmentRound) -> str | None:
    """Why the round's sheets cannot be printed yet, in words; None when they can."""
    # A printed sheet is shared with the school's managers and the district office: it holds
    # scores only once they are no longer secret for any of them.
    if not visibility.shared_sight(panel=round.panel).totals:
        return _(
            "The round has no scored teachers yet: the result sheets can be printed once the "
            "principal has finalised the round."
        )
    if not round.entries.filter(score__isnull=False).exists():
        return _("No teacher in this round has a score, so there is nothing to print.")
    return None


def _tiers_held(teacher_ids: list[int], round: AssessmentRound) -> dict[int, Tier]:
    """The tier each teacher held when the round was opened (the highest, after a promotion)."""
    opened = timezone.localdate(round.created_at)
    held: dict[int, Tier] = {}
    designations = (
        Designation.objects.tiers()
        .filter(teacher_id__in=teacher_ids, first_year__lte=round.year, last_year__gte=round.year)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=opened))
        .select_related("tier")
        .order_by("tier__level")
    )
    for d in designations:
        held[d.teacher_id] = d.tier
    return held


def _ranked(entries: list[AssessmentEntry]) -> list[tuple[AssessmentEntry, int | None]]:
    """Highest score first; equal scores share a rank (1, 2, 2, 4); no score, no rank."""
    ranks = competition_ranks({e.pk: e.score for e in entries})
    entries = sorted(
        entries,
        key=lambda e: (e.score is None, -(e.score or 0), e.teacher.staff_no),
    )
    return [(entry, ranks.get(entry.pk)) for entry in entries]


def round_sheets(*, round: AssessmentRound) -> RoundSheets:
    """Everything the sheets print, in a fixed number of queries. ``round`` has its school
    and template selected."""
    components = list(round.template.components.all())
    entries = list(round.entries.select_related("teacher__group"))
    tiers = _tiers_held([e.teacher_id for e in entries], round)
    result, _entries, item_keys = scores(round=round)
    item_of = {component: item for item, component in item_keys.items()}
    averages = {
        (entry.pk, c.pk): average.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
        for entry in entries
        for c in components
        if (average := result.averages.get(entry.entrant_id, {}).get(item_of.get(c.pk))) is not None
    }
    sheets = {e.pk: result.sheet_counts.get(e.entrant_id, 0) for e in entries}
    rows = []
    for entry, rank in _ranked(entries):
        decorate_facts(entry)
        rows.append(
            Row(
                entry=entry,
                tier=tiers.get(entry.teacher_id),
                rank=rank,
                items=[Item(c, averages.get((entry.pk, c.pk))) for c in components],
                sheets=sheets.get(entry.pk, 0),
            )
        )
    return RoundSheets(round=round, components=components, rows=rows)


def _context(data: RoundSheets) -> dict:
    return {"sheets": data, "round": data.round, "school": data.round.school}


def sheets_html(*, data: RoundSheets, kind: str, language: str, teacher_id=None) -> str:
    """The notice list, one teacher's form, or every form (with a table of contents)."""
    if kind == KIND_NOTICE:
        return render_html(NOTICE_TEMPLATE, _context(data), language=language)
    if kind == KIND_FORM:
        context = {**_context(data), "row": data.row_for(teacher_id)}
        return render_html(FORM_TEMPLATE, context, language=language)
    sections = list(form_sections(data=data, language=language))
    return render_html(FORMS_TEMPLATE, {**_context(data), "sections": sections}, language=language)


def form_sections(*, data: RoundSheets, language: str):
    """Each teacher's form as HTML, one at a time (the combined job counts them)."""
    with translation.override(language):
        for row in data.rows:
            yield render_to_string(FORM_PART, {**_context(data), "row": row})


def sheets_filename(*, data: RoundSheets, kind: str, teacher_id=None) -> str:
    """In the one style of generated files: school, school year, round, what it is."""
    r = data.round
    parts = [r.school.name, year_part(r.year), r.title]
    if kind == KIND_NOTICE:
        parts.append(_("Results notice"))
    elif kind == KIND_FORMS:
        parts.append(_("Assessment forms"))
    else:
        teacher = data.row_for(teacher_id).teacher
        parts += [teacher.name, teacher.staff_no, _("Assessment form")]
    return document_filename(*parts, ext="pdf")


# -- jobs ---------------------------------------------------------------------------------------
def _round_for_job(ctx: JobContext) -> AssessmentRound:
    # The scope (and filters) apply again at run time, as the requester narrowed to the
    # job's owner: the file's audience (core.job_files).
    user = ctx.viewer
    round = (
        AssessmentRound.objects.visible_to(user)
        .select_related("school__district", "template")
        .filter(pk=ctx.params.get("round"))
        .first()
    )
    if round is None or not can_print_sheets(user, round):
        raise JobError(_("The assessment round no longer exists or is out of your reach."))
    problem = sheets_problem(round)
    if problem:
        raise JobError(problem)
    return round


def _save(ctx: JobContext, data: RoundSheets, kind: str, html: str, teacher_id=None) -> None:
    name = sheets_filename(data=data, kind=kind, teacher_id=teacher_id)
    ctx.output_path(name).write_bytes(html_to_pdf(html))


@job_handler(KIND_NOTICE)
def notice_pdf(ctx: JobContext) -> None:
    require_cjk_font()
    round = _round_for_job(ctx)
    ctx.set_total(2)
    ctx.set_step(_("Collecting the results"))
    data = round_sheets(round=round)
    ctx.advance(text=_("Printing the PDF"))
    html = sheets_html(data=data, kind=KIND_NOTICE, language=ctx.job.language)
    _save(ctx, data, KIND_NOTICE, html)
    ctx.advance()


@job_handler(KIND_FORM)
def form_pdf(ctx: JobContext) -> None:
    require_cjk_font()
    round = _round_for_job(ctx)
    ctx.set_total(2)
    ctx.set_step(_("Collecting the results"))
    data = round_sheets(round=round)
    teacher_id = ctx.params.get("teacher")
    if not any(r.teacher.pk == teacher_id for r in data.rows):
        raise JobError(_("This teacher is not assessed in this round."))
    ctx.advance(text=_("Printing the PDF"))
    html = sheets_html(data=data, kind=KIND_FORM, language=ctx.job.language, teacher_id=teacher_id)
    _save(ctx, data, KIND_FORM, html, teacher_id)
    ctx.advance()


@job_handler(KIND_FORMS)
def forms_pdf(ctx: JobContext) -> None:
    """Every teacher's form in one PDF: the steps count the forms laid out in HTML, then
    WeasyPrint prints the whole document at once (most of the time), so the table of contents
    and "page 3 of 12" run over all of it."""
    require_cjk_font()
    round = _round_for_job(ctx)
    data = round_sheets(round=round)
    language, total = ctx.job.language, len(data.rows)
    ctx.set_total(total + 1)

    def step(done: int) -> str:
        return _("%(done)s / %(total)s teachers") % {"done": done, "total": total}

    ctx.set_step(step(0))
    sections = []
    for i, section in enumerate(form_sections(data=data, language=language), start=1):
        sections.append(section)
        ctx.advance(text=step(i))
    ctx.set_step(_("Printing the PDF"))
    html = render_html(FORMS_TEMPLATE, {**_context(data), "sections": sections}, language=language)
    _save(ctx, data, KIND_FORMS, html)
    ctx.advance()
