"""What the calendar pages read: the open classes a user sees, the month grid, a class's
sign-ups, evaluations and panel.
"""

import calendar as pycalendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core.models import School, User
from teachers.models import Teacher

from ...models import Level, OpenClass, OpenClassEvaluation, OpenClassSignup, Status
from .rules import (
    CRITERIA,
    PUBLISHED,
    can_read_evaluations,
    evaluation_refusal,
    has_started,
    is_attendee,
    member_school_ids,
    observer_profile,
    signup_refusal,
)


def open_classes_visible_to(user: User) -> QuerySet[OpenClass]:
    """Every open class the user may see on the calendar (see the module docstring)."""
    scope = user.scope
    qs = OpenClass.objects.exclude(status=Status.ARCHIVED)
    own = Q(teacher__user_id=user.pk)
    if scope.is_superuser:
        return qs.filter(own | Q(status__in=PUBLISHED))
    schools = member_school_ids(user)
    districts_of_schools = School.objects.filter(pk__in=schools).values("district_id")
    where = Q(teacher__school_id__in=set(schools) | scope.readable_district_school_ids) | Q(
        level__gte=Level.DISTRICT, teacher__school__district_id__in=districts_of_schools
    )
    return qs.filter(own | (where & Q(status__in=PUBLISHED)))


def get_open_class_for_user(*, user: User, pk: int) -> OpenClass:
    """404 for anyone the class is not shown to, even when they guess its id."""
    open_class = (
        open_classes_visible_to(user)
        .select_related("teacher__school__district", "teacher__user")
        .filter(pk=pk)
        .first()
    )
    if open_class is None:
        raise Http404
    return open_class


@dataclass
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, value: str | None, today: datetime.date | None = None) -> "Month":
        today = today or timezone.localdate()
        try:
            year, month = (int(part) for part in (value or "").split("-"))
            datetime.date(year, month, 1)
        except ValueError:
            return cls(today.year, today.month)
        if not 1900 <= year <= 2999:  # keeps the neighbouring months valid dates
            return cls(today.year, today.month)
        return cls(year, month)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @property
    def next(self) -> "Month":
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The month in local time, as aware datetimes (start inclusive, end exclusive)."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.first_day, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.next.first_day, datetime.time.min, tzinfo=tz)
        return start, end


def calendar_classes(
    *, user: User, month: Month, subject: str = "", class_kind: str = ""
) -> list[OpenClass]:
    """The month's open classes the user sees, each annotated with its sign-up count and
    whether the user signed up; one query whatever the number of classes."""
    start, end = month.bounds()
    teacher = observer_profile(user)
    qs = (
        open_classes_visible_to(user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("teacher__school")
        .annotate(
            signup_count=Count("signups", distinct=True),
            signed_up=Exists(
                OpenClassSignup.objects.filter(
                    open_class=OuterRef("pk"), observer_id=teacher.pk if teacher else None
                )
            ),
        )
        .order_by("starts_at", "pk")
    )
    if subject:
        qs = qs.filter(subject=subject)
    if class_kind:
        qs = qs.filter(class_kind=class_kind)
    return list(qs)


def calendar_subjects(*, user: User) -> list[str]:
    return list(
        open_classes_visible_to(user)
        .order_by("subject")
        .values_list("subject", flat=True)
        .distinct()
    )


def month_days(
    *, month: Month, items, day_of, today: datetime.date | None = None, key: str = "items"
) -> list[list[dict]]:
    """Weeks (Monday first) of days, each with the items falling on it (``day_of(item)``
    gives an item's date) under ``key``: the month grid of every calendar (open classes,
    training sessions)."""
    today = today or timezone.localdate()
    by_day = defaultdict(list)
    for item in items:
        by_day[day_of(item)].append(item)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [
        [
            {
                "date": day,
                "in_month": day.month == month.month,
                "is_today": day == today,
                key: by_day.get(day, []),
            }
            for day in week
        ]
        for week in weeks
    ]


def month_grid(
    *, month: Month, classes: list[OpenClass], today: datetime.date | None = None
) -> list[list[dict]]:
    """Weeks (Monday first) of days, each with the classes starting that day."""
    return month_days(
        month=month,
        items=classes,
        day_of=lambda c: timezone.localtime(c.starts_at).date(),
        today=today,
        key="classes",
    )


def class_signups(*, open_class: OpenClass) -> list[OpenClassSignup]:
    return list(open_class.signups.select_related("observer__school").order_by("created_at", "pk"))


def class_evaluations(*, open_class: OpenClass) -> tuple[list[OpenClassEvaluation], dict]:
    """The evaluations with the average of each criterion and overall (None when empty)."""
    evaluations = list(
        open_class.evaluations.select_related("observer__school").order_by("created_at", "pk")
    )
    averages = open_class.evaluations.aggregate(
        count=Count("pk"), **{name: Avg(name) for name in CRITERIA}
    )
    values = [averages[name] for name in CRITERIA if averages[name] is not None]
    averages["overall"] = sum(values) / len(values) if values else None
    return evaluations, averages


def own_evaluation(*, open_class: OpenClass, teacher: Teacher | None):
    if teacher is None:
        return None
    return OpenClassEvaluation.objects.filter(open_class=open_class, observer=teacher).first()


def open_class_panel(*, open_class: OpenClass, user: User) -> dict:
    """Everything the open-class page shows under the class: sign-ups, what the user may do,
    their own evaluation and, for the teacher of the class and staff, all evaluations."""
    teacher = observer_profile(user)
    signups = class_signups(open_class=open_class)
    signed_up = teacher is not None and any(s.observer_id == teacher.pk for s in signups)
    signup_no = signup_refusal(teacher, open_class)
    evaluation_no = evaluation_refusal(teacher, open_class, signed_up=signed_up)
    attendee = is_attendee(teacher, open_class, signed_up=signed_up)
    panel = {
        "open_class": open_class,
        "teacher": teacher,
        "is_own": teacher is not None and open_class.teacher_id == teacher.pk,
        "is_draft": open_class.status not in PUBLISHED,
        "started": has_started(open_class),
        "signups": signups,
        "signed_up": signed_up,
        "can_signup": teacher is not None and signup_no is None,
        "signup_refusal": signup_no if teacher is not None else None,
        "is_attendee": attendee,
        "can_evaluate": evaluation_no is None,
        "evaluation_refusal": evaluation_no if attendee else None,
        "own_evaluation": own_evaluation(open_class=open_class, teacher=teacher)
        if attendee
        else None,
        "evaluations": None,
        "averages": None,
        "criteria": [
            (name, OpenClassEvaluation._meta.get_field(name).verbose_name) for name in CRITERIA
        ],
    }
    if can_read_evaluations(user, open_class):
        panel["evaluations"], panel["averages"] = class_evaluations(open_class=open_class)
    return panel
