"""The data export's tables of duties, assessment templates and rounds, and annual grades.
Committee scores and the grades they give stay out while the round's rules keep them from
anyone who may download the file (core.job_files)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.export_tables import (
    Column,
    ExportContext,
    Table,
    TableSpec,
    choice_label,
    committee_names,
    committee_scores_table,
    register_tables,
    table,
)
from core.job_files import register_score_rule
from scoring.models import Mark, Sheet
from scoring.visibility import shared_sight

from .models import (
    AnnualGrade,
    AssessmentComponent,
    AssessmentEntry,
    AssessmentRound,
    AssessmentTemplate,
    DutyReport,
    DutyTemplate,
    MonthlyCheck,
    MonthlyCheckEntry,
)
from .selectors import can_see_scores, is_committee_member


def sees_scores(user, round: AssessmentRound) -> bool:
    sheet = Sheet.objects.filter(panel_id=round.panel_id, member_id=user.pk).first()
    return can_see_scores(user, round, member=is_committee_member(user, round), sheet=sheet)


def hidden_rounds(ctx: ExportContext) -> set[int]:
    return ctx.hidden_rounds(AssessmentRound.objects.filter(school_id__in=ctx.schools))


def _duty_templates(ctx: ExportContext) -> Table:
    return table(ctx.defaults_or_schools(DutyTemplate).order_by("tier__level", "kind", "pk"))


def _duty_reports(ctx: ExportContext) -> Table:
    # An unsubmitted report is still the teacher's draft.
    qs = (
        ctx.visible(DutyReport, "teacher__school")
        .filter(Q(submitted_at__isnull=False) | Q(teacher__user_id=ctx.own_user_id or 0))
        .order_by("teacher__staff_no", "year")
    )
    return table(qs)


def _assessment_templates(ctx: ExportContext) -> Table:
    return table(ctx.defaults_or_schools(AssessmentTemplate).order_by("kind", "valid_from", "pk"))


def _assessment_components(ctx: ExportContext) -> Table:
    templates = ctx.defaults_or_schools(AssessmentTemplate)
    qs = AssessmentComponent.objects.filter(template__in=templates).order_by("template_id", "pk")
    return table(qs, exclude=["position"])


def _assessment_rounds(ctx: ExportContext) -> Table:
    qs = ctx.visible(AssessmentRound, "school").order_by("year", "pk")
    committee = Column(pgettext_lazy("assessment", "Committee"), committee_names)
    return table(qs, last=[committee], joins=["panel"], prefetch=["panel__members"])


def _assessment_entries(ctx: ExportContext) -> Table:
    hidden = hidden_rounds(ctx)
    qs = ctx.visible(AssessmentEntry, "round__school").order_by("round_id", "teacher__staff_no")

    def unless_hidden(field: str):
        return lambda e: None if e.round_id in hidden else getattr(e, field)

    grade = choice_label(AssessmentEntry, "grade")
    override = {
        "score": unless_hidden("score"),
        "grade": lambda e: "" if e.round_id in hidden else grade(e),
        "explanation": unless_hidden("explanation"),
    }
    return table(qs, override=override)


def _assessment_scores(ctx: ExportContext) -> Table:
    rounds = ctx.visible(AssessmentRound, "school")
    qs = Mark.objects.filter(sheet__panel__assessmentround__in=rounds).exclude(
        sheet__panel__assessmentround__in=hidden_rounds(ctx)
    )
    headers = (_("Assessment round (ID)"), _("Teacher"), _("Component"))
    return committee_scores_table(
        qs, owner="assessmentround", subject="assessmententry", headers=headers
    )


def _annual_grades(ctx: ExportContext) -> Table:
    qs = ctx.visible(AnnualGrade, "teacher__school").order_by("teacher__staff_no", "year")
    return table(qs)


def _monthly_checks(ctx: ExportContext) -> Table:
    return table(ctx.visible(MonthlyCheck, "school").order_by("school__code", "month"))


def _monthly_entries(ctx: ExportContext) -> Table:
    qs = ctx.visible(MonthlyCheckEntry, "monthly_check__school").order_by(
        "monthly_check__school__code", "monthly_check__month", "teacher__staff_no"
    )
    return table(qs)


register_score_rule(
    AssessmentRound, sees_scores, shared=lambda r: shared_sight(panel=r.panel).totals
)
register_tables(
    TableSpec("duty_templates", gettext_lazy("Duty settings"), _duty_templates),
    TableSpec("duty_reports", gettext_lazy("Duty reports"), _duty_reports),
    TableSpec("assessment_templates", gettext_lazy("Assessment templates"), _assessment_templates),
    TableSpec(
        "assessment_components", gettext_lazy("Assessment components"), _assessment_components
    ),
    TableSpec("assessment_rounds", gettext_lazy("Assessment rounds"), _assessment_rounds),
    TableSpec("assessment_entries", gettext_lazy("Assessment results"), _assessment_entries),
    TableSpec("assessment_scores", gettext_lazy("Assessment scores"), _assessment_scores),
    TableSpec("annual_grades", gettext_lazy("Annual grades"), _annual_grades),
    TableSpec("monthly_checks", gettext_lazy("Monthly checks"), _monthly_checks),
    TableSpec("monthly_check_entries", gettext_lazy("Monthly check entries"), _monthly_entries),
    position=60,
)
