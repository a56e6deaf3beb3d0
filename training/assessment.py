"""The trainee assessment (学员考核) through the one scoring engine: the programme's panel
scores its trainees on weighted components (attendance, theory and skills, a practice class,
courseware, a research report, a paper with defence). The scores stay secret
(``scoring.visibility``) until the organiser reveals them; a trainee on the panel never scores
themselves. A trainee passes with a total at or above the programme's pass mark who still
holds a place (the one-third rule); only those receive a certificate."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.models import RoleAssignment, User
from core.wording import list_separator
from scoring import selectors as scoring
from scoring import visibility
from scoring.models import Item, Mark, PanelMember, Sheet
from scoring.services.marks import keyed, marks_save, sheet_submit
from scoring.services.panels import panel_reveal

from .models import Enrolment, Programme

# The components of the seeds (篇7): key -> label. The key is the panel item's ``key``.
COMPONENTS = {
    1: gettext_lazy("Attendance"),
    2: gettext_lazy("Theory and skills"),
    3: gettext_lazy("Practice class"),
    4: gettext_lazy("Courseware"),
    5: gettext_lazy("Research report"),
    6: gettext_lazy("Paper with defence"),
}


# -- reads ---------------------------------------------------------------------------------------
def panel_choices(*, programme: Programme) -> QuerySet[User]:
    """Who may sit on the panel: the school's staff and office (a district programme: the
    district office and the staff of its schools)."""
    if programme.school_id:
        roles = RoleAssignment.objects.filter(school_id=programme.school_id)
    else:
        roles = RoleAssignment.objects.filter(
            Q(district_id=programme.district_id) | Q(school__district_id=programme.district_id)
        )
    return User.objects.filter(pk__in=roles.values("user_id")).order_by("username")


def components_of(programme: Programme) -> list[Item]:
    items = list(programme.panel.items.all())
    for item in items:
        item.label = COMPONENTS.get(item.key, item.name)
    return items


def is_assessed(programme: Programme) -> bool:
    return programme.panel.items.exists()


def is_scoring(programme: Programme) -> bool:
    return programme.panel.is_secret and is_assessed(programme)


def scored_trainees(*, programme: Programme, member: User) -> list[Enrolment]:
    """The trainees ``member`` scores: never themselves (回避)."""
    entrants = scoring.scored_by(panel=programme.panel, member=member)
    return list(
        programme.enrolments.filter(entrant__in=entrants)
        .select_related("teacher")
        .order_by("teacher__staff_no", "pk")
    )


def own_sheet(*, programme: Programme, member: User) -> tuple[Sheet | None, dict]:
    sheet, values = scoring.own_sheet(panel=programme.panel, member=member)
    rows = dict(programme.enrolments.values_list("entrant_id", "pk"))
    return sheet, {(rows[e], i): v for (e, i), v in values.items() if e in rows}


@dataclass
class Result:
    enrolment: Enrolment
    averages: list  # per component, in the components' order
    total: Decimal | None
    passed: bool


def results(*, programme: Programme) -> list[Result]:
    """Every trainee's averages, total and whether they passed; a constant number of queries.
    Callers check ``visibility`` first (``sees_results``)."""
    aggregate = scoring.aggregate(panel=programme.panel)
    items = aggregate.items
    rows = []
    enrolments = programme.enrolments.select_related("teacher").order_by("teacher__staff_no")
    for enrolment in enrolments:
        averages = aggregate.averages.get(enrolment.entrant_id, {})
        total = aggregate.totals.get(enrolment.entrant_id)
        rows.append(
            Result(
                enrolment=enrolment,
                averages=[averages.get(i.pk) for i in items],
                total=total,
                passed=passes(programme, enrolment, total),
            )
        )
    return rows


def passes(programme: Programme, enrolment: Enrolment, total: Decimal | None) -> bool:
    """At or above the pass mark, and still holding a place (the attendance rule)."""
    if enrolment.status != Enrolment.Status.ENROLLED or total is None:
        return False
    return programme.pass_mark is None or total >= programme.pass_mark


def sees_results(*, user: User, programme: Programme) -> bool:
    return visibility.sight(user=user, panel=programme.panel).totals


def passed_teacher_ids(*, programme: Programme) -> set[int]:
    return {r.enrolment.teacher_id for r in results(programme=programme) if r.passed}


# -- writes --------------------------------------------------------------------------------------
def _require_organiser(programme: Programme, by: User) -> Programme:
    if not Programme.objects.editable_by(by).filter(pk=programme.pk).exists():
        raise PermissionDenied(_("Only the programme's organiser can do this."))
    return Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)


@transaction.atomic
def assessment_set(
    *,
    programme: Programme,
    components: Mapping[int, tuple[int, int]],
    members: Iterable[User],
    pass_mark: int,
    by: User,
) -> Programme:
    """The components ({key: (weight, max score)}, weights summing to 100), the panel and
    the pass mark. The components are fixed once a score is in; members may still change."""
    programme = _require_organiser(programme, by)
    panel = programme.panel
    errors: dict[str, list[str]] = {}
    components = {k: v for k, v in components.items() if k in COMPONENTS and v[0]}
    if sum(weight for weight, _max in components.values()) != 100:
        errors["__all__"] = [_("The weights of the components must add up to 100.")]
    members = list(members)
    allowed = set(panel_choices(programme=programme).values_list("pk", flat=True))
    outsiders = [u for u in members if u.pk not in allowed]
    if not members:
        errors["members"] = [_("Choose at least one panel member.")]
    elif outsiders:
        errors["members"] = [
            _("%(names)s are not staff of the organiser.")
            % {"names": list_separator().join(str(u) for u in outsiders)}
        ]
    if not 0 < pass_mark <= 100:
        errors["pass_mark"] = [_("Give a pass mark from 1 to 100.")]
    if not panel.is_secret:
        errors["__all__"] = [_("The results are revealed: the assessment is closed.")]
    if errors:
        raise ValidationError(errors)
    current = {i.key: (i.weight, i.max_score) for i in panel.items.all()}
    if current != components:
        if Mark.objects.filter(sheet__panel=panel).exists():
            raise ValidationError(_("Scores are in: the components can no longer change."))
        panel.items.all().delete()
        Item.objects.bulk_create(
            Item(panel=panel, name=str(COMPONENTS[key]), weight=weight, max_score=top,
                 position=position, key=key)
            for position, (key, (weight, top)) in enumerate(sorted(components.items()))
        )  # fmt: skip
    chosen = {u.pk for u in members}
    PanelMember.objects.filter(panel=panel).exclude(user_id__in=chosen).filter(
        left_at__isnull=True
    ).exclude(user_id__in=Sheet.objects.filter(panel=panel).values("member_id")).delete()
    existing = set(PanelMember.objects.filter(panel=panel).values_list("user_id", flat=True))
    PanelMember.objects.bulk_create(
        PanelMember(panel=panel, user_id=pk) for pk in chosen - existing
    )
    programme.pass_mark = pass_mark
    programme.save(update_fields=["pass_mark"])
    return programme


@transaction.atomic
def sheet_save(*, round: Programme, member: User, values: Mapping) -> Sheet:
    """A draft: values by (enrolment id, item id)."""
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=round.pk)
    enrolments = {e.entrant_id: e for e in programme.enrolments.select_related("teacher")}
    return marks_save(
        panel=programme.panel,
        member=member,
        values=keyed(values, rows={e.pk: entrant for entrant, e in enrolments.items()}),
        name=lambda entrant: enrolments[entrant.pk].teacher.name,
        unknown=_("A score refers to a trainee or component not in this programme."),
        scoring_open=is_scoring(programme),
    )


@transaction.atomic
def sheet_send(*, round: Programme, member: User) -> Sheet:
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=round.pk)
    return sheet_submit(
        panel=programme.panel,
        member=member,
        incomplete=lambda n: (
            ngettext(
                "Score every trainee on every component before submitting: %(n)d score is missing.",
                "Score every trainee on every component before submitting: %(n)d scores are "
                "missing.",
                n,
            )
            % {"n": n}
        ),
        scoring_open=is_scoring(programme),
    )


@transaction.atomic
def assessment_reveal(*, programme: Programme, by: User) -> Programme:
    """The scoring is over: the organiser and every viewer of the programme see the results."""
    programme = _require_organiser(programme, by)
    if not is_assessed(programme):
        raise ValidationError(_("The programme has no assessment components."))
    if not Sheet.objects.filter(panel=programme.panel, submitted_at__isnull=False).exists():
        raise ValidationError(_("No panel member has submitted a score sheet yet."))
    panel_reveal(panel=programme.panel)
    return programme
