"""A contest's own life: the organiser opens it with its categories, scoring items and judges,
closes the entries, reveals the scores once the judges have submitted, decides the prizes and
publishes them (which credits the winners' records), and may take the publication back to
correct a prize."""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import District, RoleAssignment, School, User
from scoring.models import Item, PanelMember, Sheet
from scoring.services.panels import panel_reveal

from ..models import Category, Contest, Entry, Prize
from .credits import prizes_credit, prizes_withdraw


def judge_choices(*, contest: Contest | None = None, school=None, district=None) -> QuerySet:
    """Who may judge: the school's staff and teachers (a district contest: the district office
    and everyone of its schools)."""
    school_id = contest.school_id if contest else (school.pk if school else None)
    district_id = contest.district_id if contest else district.pk
    if school_id:
        roles = RoleAssignment.objects.filter(school_id=school_id)
    else:
        roles = RoleAssignment.objects.filter(
            Q(district_id=district_id) | Q(school__district_id=district_id)
        )
    return User.objects.filter(pk__in=roles.values("user_id")).order_by("username")


def _require_organiser(contest: Contest, by: User) -> Contest:
    if not Contest.objects.editable_by(by).filter(pk=contest.pk).exists():
        raise PermissionDenied(_("Only the competition's organiser can do this."))
    return Contest.objects.select_for_update(of=("self",)).get(pk=contest.pk)


def _check_criteria(criteria: list[Mapping]) -> list[str]:
    if not criteria:
        return [_("Give at least one scoring item.")]
    if sum(int(c["weight"]) for c in criteria) != 100:
        return [_("The weights of the scoring items must add up to 100.")]
    return []


@transaction.atomic
def contest_create(
    *,
    school: School | None,
    district: District,
    title: str,
    categories: Iterable[str],
    rules: str,
    entry_opens: datetime.date,
    entry_closes: datetime.date,
    held_on: datetime.date,
    quota_per_school: int | None,
    criteria: list[Mapping],
    judges: Iterable[User],
    by: User,
) -> Contest:
    scope = by.scope
    allowed = scope.can_manage_school(school.pk) if school else (
        scope.is_superuser or district.pk in scope.district_ids
    )  # fmt: skip
    if not allowed:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    categories = [c for c in dict.fromkeys(categories) if c in Category.values]
    if not categories:
        errors["categories"] = [_("Choose at least one category.")]
    if problems := _check_criteria(criteria):
        errors["criteria"] = problems
    judges = list(judges)
    allowed_judges = set(
        judge_choices(school=school, district=district).values_list("pk", flat=True)
    )
    if not judges:
        errors["judges"] = [_("Choose at least one judge.")]
    elif outsiders := [u for u in judges if u.pk not in allowed_judges]:
        errors["judges"] = [
            _("%(names)s are not staff of the organiser.")
            % {"names": "、".join(str(u) for u in outsiders)}
        ]
    if held_on < entry_closes:
        errors["held_on"] = [_("The contest is judged after the entries close.")]
    if errors:
        raise ValidationError(errors)
    contest = Contest(
        school=school,
        district=district,
        title=title.strip(),
        categories=categories,
        rules=rules,
        entry_opens=entry_opens,
        entry_closes=entry_closes,
        held_on=held_on,
        quota_per_school=quota_per_school if school is None else None,
        created_by=by,
    )
    contest.full_clean(exclude=["panel"])
    contest.save()
    Item.objects.bulk_create(
        Item(panel=contest.panel, name=c["name"][:50], weight=int(c["weight"]),
             max_score=int(c.get("max_score") or 100), position=position)
        for position, c in enumerate(criteria)
    )  # fmt: skip
    PanelMember.objects.bulk_create(PanelMember(panel=contest.panel, user=u) for u in judges)
    return contest


@transaction.atomic
def entries_close(*, contest: Contest, by: User) -> Contest:
    """Entries are in: the judges start scoring."""
    contest = _require_organiser(contest, by)
    if contest.stage != Contest.Stage.OPEN:
        return contest  # a second click
    if not contest.entries.exists():
        raise ValidationError(_("No entry has been submitted yet."))
    contest.stage = Contest.Stage.SCORING
    contest.save(update_fields=["stage"])
    return contest


@transaction.atomic
def scores_reveal(*, contest: Contest, by: User) -> Contest:
    """The judges are done: the organiser and every viewer of the contest see the scores, and
    the organiser decides the prizes."""
    contest = _require_organiser(contest, by)
    if contest.stage != Contest.Stage.SCORING:
        return contest
    if not Sheet.objects.filter(panel=contest.panel, submitted_at__isnull=False).exists():
        raise ValidationError(_("No judge has submitted a score sheet yet."))
    panel_reveal(panel=contest.panel)
    contest.stage = Contest.Stage.RESULTS
    contest.save(update_fields=["stage"])
    return contest


@transaction.atomic
def prizes_set(*, contest: Contest, prizes: Mapping[int, str], by: User) -> int:
    """The prize of each entry ({entry id: prize or ""}), while the results are not published.
    Returns how many entries changed."""
    contest = _require_organiser(contest, by)
    if contest.stage != Contest.Stage.RESULTS:
        raise ValidationError(_("Prizes are decided after the scores are revealed and before "
                                "the results are published."))  # fmt: skip
    entries = {e.pk: e for e in contest.entries.all()}
    if set(prizes) - set(entries) or set(prizes.values()) - {"", *Prize.values}:
        raise ValidationError(_("A prize refers to an entry not in this competition."))
    changed = [e for pk, e in entries.items() if pk in prizes and e.prize != prizes[pk]]
    for entry in changed:
        entry.prize = prizes[entry.pk]
    Entry.objects.bulk_update(changed, ["prize"])
    return len(changed)


@transaction.atomic
def results_publish(*, contest: Contest, by: User) -> Contest:
    """Publish the prizes: each lands on its winner's record by itself, once. Publishing
    again (a second click, a republication after a correction) brings the records up to
    date and adds none."""
    contest = _require_organiser(contest, by)
    if contest.stage == Contest.Stage.PUBLISHED:
        return contest
    if contest.stage != Contest.Stage.RESULTS:
        raise ValidationError(_("Reveal the scores before publishing the results."))
    if not contest.entries.exclude(prize="").exists():
        raise ValidationError(_("Award at least one prize before publishing the results."))
    contest.stage, contest.published_at = Contest.Stage.PUBLISHED, timezone.now()
    contest.save(update_fields=["stage", "published_at"])
    prizes_credit(contest=contest, by=by)
    return contest


@transaction.atomic
def results_unpublish(*, contest: Contest, by: User) -> Contest:
    """Take the publication back to correct a prize: the prizes leave the winners' records
    (archived, with their trail) until the results are published again."""
    contest = _require_organiser(contest, by)
    if contest.stage != Contest.Stage.PUBLISHED:
        return contest
    contest.stage, contest.published_at = Contest.Stage.RESULTS, None
    contest.save(update_fields=["stage", "published_at"])
    prizes_withdraw(contest=contest, by=by)
    return contest
