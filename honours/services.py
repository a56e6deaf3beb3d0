"""Every write of the honours list: propose it from the records, read them again, the office's
choices (who stays on, which honour), the principal's confirmation."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import School, User, school_year_label

from . import rules
from .models import HonourCandidate, HonourList
from .selectors import is_principal_of


def _require_manager(by: User, school_id: int) -> None:
    if not by.scope.can_manage_school(school_id):
        raise PermissionDenied(_("Only the principal or training office can do this."))


def _default_title(school: School, year: int) -> str:
    with translation.override(school.language):
        return _("Honours of the school year %(year)s") % {"year": school_year_label(year)}


def default_honour(school: School) -> str:
    with translation.override(school.language):
        return _("Excellent teacher")


def _locked(honour_list: HonourList) -> HonourList:
    locked = (HonourList.objects.select_related("school").select_for_update(of=("self",))).get(
        pk=honour_list.pk
    )
    if locked.is_confirmed:
        raise ValidationError(_("The principal has confirmed this list; it can no longer change."))
    return locked


def _read(honour_list: HonourList, today: datetime.date | None) -> None:
    """Candidates from the records as they are now; the office's choices for teachers who stay
    candidates are kept."""
    found = rules.proposals(school=honour_list.school, year=honour_list.year, today=today)
    existing = {c.teacher_id: c for c in honour_list.candidates.all()}
    keep = {p.teacher.pk for p in found}
    honour_list.candidates.exclude(teacher_id__in=keep).delete()
    honour = default_honour(honour_list.school)
    to_create, to_update = [], []
    for position, p in enumerate(found, start=1):
        row = existing.get(p.teacher.pk) or HonourCandidate(
            honour_list=honour_list, teacher=p.teacher, honour=honour
        )
        row.position, row.grade = position, p.grade
        row.duties_met, row.duties_total = p.duties.met, p.duties.total
        row.outcomes, row.higher_outcomes = p.outcomes.total, p.outcomes.higher
        (to_update if row.pk else to_create).append(row)
    HonourCandidate.objects.bulk_create(to_create)
    HonourCandidate.objects.bulk_update(
        to_update,
        ["position", "grade", "duties_met", "duties_total", "outcomes", "higher_outcomes"],
    )
    honour_list.read_at = timezone.now()
    honour_list.save(update_fields=["read_at"])


@transaction.atomic
def honour_list_propose(
    *, school: School, year: int, by: User, today: datetime.date | None = None
) -> HonourList:
    """The school's list for ``year``, proposed from the records; a second click returns the
    same list (read again while it is not confirmed)."""
    _require_manager(by, school.pk)
    honour_list, _created = HonourList.objects.get_or_create(
        school=school,
        year=year,
        defaults={"title": _default_title(school, year), "created_by": by},
    )
    if not honour_list.is_confirmed:
        _read(_locked(honour_list), today)
    return honour_list


@transaction.atomic
def honour_list_refresh(
    *, honour_list: HonourList, by: User, today: datetime.date | None = None
) -> HonourList:
    _require_manager(by, honour_list.school_id)
    honour_list = _locked(honour_list)
    _read(honour_list, today)
    return honour_list


@transaction.atomic
def honour_list_save(
    *,
    honour_list: HonourList,
    title: str,
    commended_on: datetime.date | None,
    choices: dict[int, tuple[bool, str]],
    by: User,
) -> HonourList:
    """The office's choices: the title and date of the commendation, and for each candidate
    (by id) whether they stay on the list and the honour they receive."""
    _require_manager(by, honour_list.school_id)
    honour_list = _locked(honour_list)
    honour_list.title = title.strip() or honour_list.title
    honour_list.commended_on = commended_on
    honour_list.full_clean()
    honour_list.save(update_fields=["title", "commended_on"])
    rows = list(honour_list.candidates.filter(pk__in=list(choices)))
    for row in rows:
        included, honour = choices[row.pk]
        row.included = included
        row.honour = honour.strip() or row.honour
        row.full_clean()
    HonourCandidate.objects.bulk_update(rows, ["included", "honour"])
    return honour_list


@transaction.atomic
def honour_list_confirm(*, honour_list: HonourList, by: User) -> HonourList:
    """The principal confirms: the commendation is recorded as it stands. Confirming again
    changes nothing."""
    if not is_principal_of(by, honour_list.school_id):
        raise PermissionDenied(_("Only the principal can do this."))
    current = HonourList.objects.select_for_update(of=("self",)).get(pk=honour_list.pk)
    if current.is_confirmed:
        return current
    if not current.candidates.filter(included=True).exists():
        raise ValidationError(_("Nobody is on the list: keep at least one candidate."))
    if current.commended_on is None:
        raise ValidationError(_("Enter the date of the commendation before confirming."))
    current.status = HonourList.Status.CONFIRMED
    current.confirmed_by = by
    current.confirmed_at = timezone.now()
    current.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return current
