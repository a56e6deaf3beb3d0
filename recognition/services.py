"""Every write of allowances and rewards."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.models import Designation, Tier
from core.models import District, School
from mentoring.models import Pairing
from mentoring.outcomes import outcomes_for_mentors
from teachers.models import Teacher

from .models import AllowancePayment, Rate, Reward, month_start
from .sheet import allowance_sheet, rate_book


@transaction.atomic
def rate_set(
    *,
    district: District,
    school: School | None = None,
    kind: str,
    tier: Tier | None = None,
    amount: Decimal,
    valid_from: datetime.date,
    by,
) -> Rate:
    """Set a rate from a month on. The rate set earlier stays as history; setting the same
    month again replaces that month's amount."""
    if school is not None and school.district_id != district.pk:
        raise ValidationError({"school": _("This school belongs to another district.")})
    if kind == Rate.Kind.ROOKIE:
        tier = None
    elif tier is None:
        raise ValidationError({"tier": _("Choose the tier.")})
    elif tier.district_id != district.pk or tier.is_honorary:
        raise ValidationError({"tier": _("Choose a backbone tier of this district.")})
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    rate, created = Rate.objects.select_for_update().get_or_create(
        district=district,
        school=school,
        kind=kind,
        tier=tier,
        valid_from=month_start(valid_from),
        defaults={"amount": amount, "created_by": by},
    )
    if not created and (rate.amount != amount or rate.created_by_id != getattr(by, "pk", None)):
        rate.amount = amount
        rate.created_by = by
        rate.save(update_fields=["amount", "created_by"])
    return rate


@transaction.atomic
def allowance_month_pay(
    *,
    school: School,
    month: datetime.date,
    paid_on: datetime.date,
    by,
    with_arrears: bool = False,
    today: datetime.date | None = None,
) -> list[AllowancePayment]:
    """Mark the month's allowance paid on ``paid_on`` (and the unpaid months before it, with
    ``with_arrears``). A teacher's month once paid is never paid again: running this twice
    pays nothing the second time."""
    today = today or timezone.localdate()
    month = month_start(month)
    if month > month_start(today):
        raise ValidationError(
            {"month": _("A month can be marked paid from its first day on.")}, code="future"
        )
    if paid_on > today:
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    if paid_on < month:
        raise ValidationError(
            {"paid_on": _("The payment date cannot be before the month it pays.")}
        )
    # One payer at a time per school: two clicks at once cannot both pay.
    School.objects.select_for_update().get(pk=school.pk)
    sheet = allowance_sheet(school=school, month=month, arrears=with_arrears)
    lines = sheet.unpaid + (sheet.arrears if with_arrears else [])
    payments = [
        AllowancePayment(
            teacher=line.teacher,
            school=school,
            month=line.month,
            tier=line.tier,
            designation=line.designation,
            amount=line.due,
            paid_on=paid_on,
            recorded_by=by,
        )
        for line in lines
    ]
    # The unique (teacher, month) constraint is the last guard against a double payment.
    AllowancePayment.objects.bulk_create(payments, ignore_conflicts=True)
    return payments


def _default_amount(*, kind: str, school: School, tier_id=None, day) -> Decimal:
    rate = rate_book(school=school).rate(kind=kind, tier_id=tier_id, school_id=school.pk, day=day)
    return rate.amount if rate else Decimal(0)


def _mentor_amount(books: dict, *, school: School, tier_id, day) -> Decimal:
    if school.pk not in books:
        books[school.pk] = rate_book(school=school)
    rate = books[school.pk].rate(
        kind=Rate.Kind.MENTOR, tier_id=tier_id, school_id=school.pk, day=month_start(day)
    )
    return rate.amount if rate else Decimal(0)


@transaction.atomic
def reward_record(
    *,
    school: School,
    teacher: Teacher,
    kind: str,
    title: str,
    awarded_on: datetime.date,
    amount: Decimal | None = None,
    note: str = "",
    by,
) -> Reward:
    """Record a teaching-rookie award or a commendation. The rookie award's amount defaults
    to the rate valid on the day."""
    if teacher.school_id != school.pk:
        raise ValidationError({"teacher": _("This teacher is not at this school.")})
    if kind not in (Reward.Kind.ROOKIE, Reward.Kind.COMMENDATION):
        raise ValidationError({"kind": _("Mentors' rewards are proposed by Gugan.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the title of the award or commendation.")})
    if amount is None:
        amount = (
            _default_amount(kind=Rate.Kind.ROOKIE, school=school, day=awarded_on)
            if kind == Reward.Kind.ROOKIE
            else Decimal(0)
        )
    reward = Reward(
        school=school,
        teacher=teacher,
        kind=kind,
        title=title.strip(),
        amount=amount,
        awarded_on=awarded_on,
        note=note.strip(),
        status=Reward.Status.APPROVED,
        created_by=by,
    )
    reward.full_clean()
    reward.save()
    return reward


@transaction.atomic
def mentor_rewards_propose(*, designations: Iterable[Designation]) -> list[Reward]:
    """Propose a reward to each mentor whose apprentice one of these designations is
    (mentoring outcomes: a pairing that really took place, started before the designation).
    Every service that creates designations calls this through backbone's designation hook,
    in its transaction, with all it made. Proposing again adds nothing: one reward per mentor
    and designation."""
    wanted = {d.pk: d for d in designations if d.status != Designation.Status.REVOKED}
    if not wanted:
        return []
    apprentice_ids = {d.teacher_id for d in wanted.values()}
    mentor_ids = Pairing.objects.filter(apprentice_id__in=apprentice_ids).values("mentor_id")
    mentors = list(Teacher.objects.filter(pk__in=mentor_ids).select_related("school"))
    outcomes = outcomes_for_mentors(mentors=mentors)
    books = {}  # one rate book per school of the batch
    proposed = []
    for mentor in mentors:
        for outcome in outcomes[mentor.pk]:
            designation = wanted.get(outcome.designation_id)
            if designation is None:
                continue
            school = mentor.school
            reward, _created = Reward.objects.get_or_create(
                kind=Reward.Kind.MENTOR,
                teacher=mentor,
                designation=designation,
                defaults={
                    "school": school,
                    "pairing_id": outcome.pairing_id,
                    "status": Reward.Status.PROPOSED,
                    "awarded_on": outcome.achieved_on,
                    "amount": _mentor_amount(
                        books, school=school, tier_id=designation.tier_id, day=outcome.achieved_on
                    ),
                },
            )
            proposed.append(reward)
    return proposed


@transaction.atomic
def reward_decide(
    *, reward: Reward, approve: bool, by, today: datetime.date | None = None
) -> Reward:
    """The principal approves or declines a proposed mentor's reward; the same decision
    twice changes nothing, a different one is refused."""
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    wanted = Reward.Status.APPROVED if approve else Reward.Status.DECLINED
    if reward.status == wanted:
        return reward
    if reward.status != Reward.Status.PROPOSED:
        raise ValidationError(_("This reward has already been decided."), code="decided")
    reward.status = wanted
    reward.decided_by = by
    reward.decided_on = today or timezone.localdate()
    reward.save(update_fields=["status", "decided_by", "decided_on"])
    return reward
