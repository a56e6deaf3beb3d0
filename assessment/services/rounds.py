"""Every write of an assessment round: opening it with prefilled facts, absences, committee
score sheets, finalising (grades and their consequences), posting the results (公示), locking;
confirming or clearing designations flagged for revocation; the teacher's duty report (述职).

A round moves SCORING → FINALISED → POSTED → LOCKED. Posted results lock themselves when the
notice period is over. Every write locks the round row first and refuses locked rounds.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from core.models import School, User
from core.wording import list_separator
from scoring.models import Sheet
from scoring.services.marks import keyed, marks_save, sheet_submit
from scoring.services.panels import entrants_add, panel_open

from ..models import AssessmentEntry, AssessmentRound, AssessmentTemplate
from .facts import _refresh, _teachers_for, facts_for  # noqa: F401
from .results import (  # noqa: F401  (every write of a round, from one module)
    designation_flag_clear,
    designation_flag_confirm,
    duty_report_save,
    round_finalise,
    round_lock,
    round_post,
    rounds_lock_expired,
)
from .round_common import Status, _lock, _require_manager
from .templates import template_ensure


# -- opening -------------------------------------------------------------------------------------
@transaction.atomic
def round_open(
    *,
    school: School,
    kind: str,
    year: int,
    title: str,
    committee: Iterable[User],
    by: User,
    semester: int | None = None,
    all_teachers: bool = False,
) -> AssessmentRound:
    """Open a round with an entry (and its facts) for every backbone teacher of the school,
    or every active teacher."""
    if not by.scope.can_manage_school(school.pk):
        raise PermissionDenied(
            pgettext("assessment", "Only the principal or training office can open a round.")
        )
    errors: dict[str, list[str]] = {}
    if kind == AssessmentTemplate.Kind.SEMESTER and semester not in (1, 2):
        errors["semester"] = [_("Choose the semester of a semester check.")]
    if kind == AssessmentTemplate.Kind.ANNUAL:
        semester = None
    committee = list(committee)
    from backbone.selectors.rounds import is_committee_eligible

    outsiders = [u for u in committee if not is_committee_eligible(u, school)]
    if not committee:
        errors["committee"] = [pgettext("assessment", "Choose at least one committee member.")]
    elif outsiders:
        errors["committee"] = [
            pgettext(
                "assessment",
                "%(names)s hold no committee, principal or training office role at %(school)s.",
            )
            % {"names": list_separator().join(str(u) for u in outsiders), "school": school.name}
        ]
    teachers = _teachers_for(school, all_teachers=all_teachers)
    if not teachers:
        errors["all_teachers"] = [_("There are no teachers to assess.")]
    if errors:
        raise ValidationError(errors)
    template = template_ensure(school=school, kind=kind, year=year)
    round = AssessmentRound(
        school=school,
        template=template,
        title=title.strip(),
        year=year,
        semester=semester,
        all_teachers=all_teachers,
        opened_by=by,
        panel=panel_open(items=template.panel_items(), members=committee, school=school),
    )
    round.full_clean()
    round.save()
    facts = facts_for(teachers=teachers, year=year, semester=semester)
    # No 回避 here: a committee member who is assessed scores every entry, themselves included,
    # as before the scoring engine (a rule of this app, not of the engine).
    entrants = entrants_add(panel=round.panel, users=[None] * len(teachers))
    AssessmentEntry.objects.bulk_create(
        AssessmentEntry(
            round=round,
            teacher=t,
            facts=facts[t.pk],
            entrant=e,
            absent_without_reason=bool(facts[t.pk]["training_absences"]),
        )
        for t, e in zip(teachers, entrants, strict=True)
    )
    return round


@transaction.atomic
def round_refresh_facts(*, round: AssessmentRound, by: User) -> list[AssessmentEntry]:
    """Read the facts again (newly verified records, a submitted duty report)."""
    _require_manager(by, round)
    round = _lock(round)
    if round.status != Status.SCORING:
        raise ValidationError(_("Facts are read again only while the committee is scoring."))
    return _refresh(round)


@transaction.atomic
def entry_set_absence(
    *, entry: AssessmentEntry, absent: bool | None, by: User, reason: str = ""
) -> AssessmentEntry:
    """Override the register's absence without a valid reason (absent True or False), with
    the reason, who and when; ``absent`` None lets the register decide again."""
    _require_manager(by, entry.round)
    round = _lock(entry.round)
    if round.status != Status.SCORING:
        raise ValidationError(_("Absences are recorded only while the committee is scoring."))
    entry = AssessmentEntry.objects.select_for_update().get(pk=entry.pk)
    reason = (reason or "").strip()
    if absent is not None and not reason:
        raise ValidationError({"reason": _("Give the reason for setting the absence by hand.")})
    limit = AssessmentEntry._meta.get_field("absence_override_reason").max_length
    if len(reason) > limit:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": limit}})
    if absent is None:
        entry.absence_override, entry.absence_override_reason = None, ""
        entry.absence_override_by, entry.absence_override_at = None, None
    elif (entry.absence_override, entry.absence_override_reason) != (absent, reason):
        entry.absence_override, entry.absence_override_reason = absent, reason
        entry.absence_override_by, entry.absence_override_at = by, timezone.now()
    entry.absent_without_reason = entry.effective_absence()
    entry.save(
        update_fields=[
            "absent_without_reason", "absence_override", "absence_override_reason",
            "absence_override_by", "absence_override_at",
        ]
    )  # fmt: skip
    return entry


# -- scoring -------------------------------------------------------------------------------------
@transaction.atomic
def score_sheet_save(
    *,
    round: AssessmentRound,
    member: User,
    values: Mapping[tuple[int, int], Decimal | int | str | None],
) -> Sheet:
    """Save a draft: values by (entry id, component id); None clears a cell."""
    round = _lock(round)
    entries = {e.entrant_id: e for e in round.entries.select_related("teacher")}
    return marks_save(
        panel=round.panel,
        member=member,
        values=keyed(
            values,
            rows={e.pk: entrant for entrant, e in entries.items()},
            columns=dict(round.panel.items.values_list("key", "pk")),
        ),
        name=lambda entrant: entries[entrant.pk].teacher.name,
        unknown=_("A score refers to a teacher or component not in this round."),
        scoring_open=round.status == Status.SCORING,
    )


@transaction.atomic
def score_sheet_submit(*, round: AssessmentRound, member: User) -> Sheet:
    """Submit a complete sheet; it is final."""
    round = _lock(round)
    return sheet_submit(
        panel=round.panel,
        member=member,
        incomplete=lambda n: (
            ngettext(
                "Score every teacher on every component before submitting: %(n)d score is missing.",
                "Score every teacher on every component before submitting: %(n)d scores are "
                "missing.",
                n,
            )
            % {"n": n}
        ),
        scoring_open=round.status == Status.SCORING,
    )
