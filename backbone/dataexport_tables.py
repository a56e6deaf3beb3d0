"""The data export's tables of backbone tiers, designations and selection rounds. Committee
scores, weighted scores and ranks of a round stay out while its rules keep them from anyone
who may download the file (core.job_files)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.export_tables import (
    Column,
    ExportContext,
    Table,
    TableSpec,
    committee_names,
    committee_scores_table,
    register_named,
    register_tables,
    table,
)
from core.job_files import register_score_rule
from scoring.models import Item, Mark
from scoring.visibility import shared_sight
from teachers.dataexport_tables import teacher_label

from .models import (
    Candidate,
    Designation,
    EligibilityRuleSet,
    Objection,
    ReserveEntry,
    SelectionRound,
    Target,
    Tier,
)
from .selectors.rounds import can_see_scores


def hidden_rounds(ctx: ExportContext) -> set[int]:
    rounds = SelectionRound.objects.filter(school_id__in=ctx.schools).select_related("school")
    return ctx.hidden_rounds(rounds)


def _tiers(ctx: ExportContext) -> Table:
    return table(Tier.objects.filter(district_id__in=ctx.target.district_ids))


def _eligibility_rules(ctx: ExportContext) -> Table:
    qs = EligibilityRuleSet.objects.filter(
        Q(school_id__in=ctx.schools)
        | Q(school__isnull=True, tier__district_id__in=ctx.target.district_ids)
    ).order_by("tier__kind", "tier__level", "pk")
    return table(qs)


def _targets(ctx: ExportContext) -> Table:
    district = ctx.target.district_ids if ctx.target.whole_district else ()
    qs = (
        Target.objects.visible_to(ctx.user)
        .filter(Q(school_id__in=ctx.schools) | Q(district_id__in=district))
        .order_by("by_year", "tier__level", "pk")
    )
    return table(qs)


def _designations(ctx: ExportContext) -> Table:
    qs = ctx.visible(Designation, "teacher__school").order_by(
        "teacher__school__code", "teacher__staff_no", "first_year", "pk"
    )
    today = Column(_("Status today"), lambda d: d.get_effective_status_display())
    return table(qs, last=[today], exclude=["is_honorary"])


def _reserve(ctx: ExportContext) -> Table:
    qs = ctx.visible(ReserveEntry, "teacher__school").order_by("teacher__staff_no", "pk")
    return table(qs)


def _selection_rounds(ctx: ExportContext) -> Table:
    qs = ctx.visible(SelectionRound, "school").order_by("pk")
    committee = Column(_("Committee"), committee_names)
    return table(qs, last=[committee], joins=["panel"], prefetch=["panel__members"])


def _criteria(ctx: ExportContext) -> Table:
    rounds = ctx.visible(SelectionRound, "school")
    qs = Item.objects.filter(panel__selectionround__in=rounds).order_by(
        "panel_id", "position", "pk"
    )
    round_id = Column(_("Selection round (ID)"), lambda i: i.panel.selectionround.pk)
    return table(
        qs, first=[round_id], exclude=["position", "panel", "key"], joins=["panel__selectionround"]
    )


def _candidates(ctx: ExportContext) -> Table:
    hidden = hidden_rounds(ctx)
    # While the scores are secret the rank is too, and so is the order it gives: never by rank.
    qs = ctx.visible(Candidate, "round__school").order_by("round_id", "pk")
    override = {
        "score": lambda c: None if c.round_id in hidden else c.score,
        "rank": lambda c: None if c.round_id in hidden else c.rank,
    }
    return table(qs, override=override)


def _selection_scores(ctx: ExportContext) -> Table:
    rounds = ctx.visible(SelectionRound, "school")
    qs = Mark.objects.filter(sheet__panel__selectionround__in=rounds).exclude(
        sheet__panel__selectionround__in=hidden_rounds(ctx)
    )
    headers = (_("Selection round (ID)"), _("Candidate"), _("Criterion"))
    return committee_scores_table(qs, owner="selectionround", subject="candidate", headers=headers)


def _objections(ctx: ExportContext) -> Table:
    qs = ctx.visible(Objection, "round__school").order_by("round_id", "lodged_at")
    concerning = {"candidate": lambda o: teacher_label(o.candidate.teacher) if o.candidate else ""}
    return table(qs, override=concerning, joins=["candidate__teacher"])


register_named(Tier)
register_score_rule(
    SelectionRound, can_see_scores, shared=lambda r: shared_sight(panel=r.panel).totals
)
register_tables(
    TableSpec("tiers", gettext_lazy("Backbone tiers"), _tiers),
    TableSpec("eligibility_rules", gettext_lazy("Eligibility rules"), _eligibility_rules),
    TableSpec("targets", gettext_lazy("Targets"), _targets),
    TableSpec("designations", gettext_lazy("Designations"), _designations),
    TableSpec("reserve_pool", gettext_lazy("Reserve pool"), _reserve),
    TableSpec("selection_rounds", gettext_lazy("Selection rounds"), _selection_rounds),
    TableSpec("selection_criteria", gettext_lazy("Selection criteria"), _criteria),
    TableSpec("candidates", gettext_lazy("Candidates"), _candidates),
    TableSpec("selection_scores", gettext_lazy("Selection scores"), _selection_scores),
    TableSpec("objections", gettext_lazy("Objections"), _objections),
    position=30,
)
