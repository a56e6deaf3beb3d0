"""The open-class calendar: who sees which open classes, observers signing up, and the
evaluations (评课) observers hand in after the class.

Who sees an open class on the calendar:
- anyone holding a role at the teacher's school (teachers included): the school's classes;
- the same people, for classes of district level or above (level ≥ 2) at other schools of
  their district, since those are open to the whole district;
- the district office: every school of its district;
- drafts and returned classes only to their own teacher (marked as such); archived never.

Who signs up: a teacher with a roster profile, before the class starts, not for their own
class, from the same school (or the same district for district-level+ classes).
Who evaluates: after the class starts, a signed-up observer or any teacher of the school.
Who reads the evaluations: the teacher of the class, the school's staff (principal, training
office, committee) and the district office; each observer reads their own.
"""

import calendar as pycalendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import School, User
from teachers.models import Teacher

from ..models import Level, Observation, OpenClass, OpenClassEvaluation, OpenClassSignup, Status
from .workflow import record_save

PUBLISHED = (Status.SUBMITTED, Status.VERIFIED)
CRITERIA = ("design", "delivery", "engagement", "effect")


# -- named predicates ------------------------------------------------------------------------------
def observer_profile(user: User) -> Teacher | None:
    """The user's active roster profile, the one that signs up and evaluates."""
    teacher = getattr(user, "teacher", None)
    return teacher if teacher is not None and teacher.is_active else None


def member_school_ids(user: User) -> set[int]:
    """Schools where the user holds any role, or where their roster profile is."""
    ids = set(user.scope.school_roles)
    teacher = observer_profile(user)
    if teacher is not None:
        ids.add(teacher.school_id)
    return ids


def may_use_calendar(user: User) -> bool:
    scope = user.scope
    return scope.is_superuser or scope.is_district_office or bool(member_school_ids(user))


def is_teacher_of_class(user: User, open_class: OpenClass) -> bool:
    return open_class.teacher.user_id is not None and open_class.teacher.user_id == user.pk


def can_read_evaluations(user: User, open_class: OpenClass) -> bool:
    scope = user.scope
    school = open_class.teacher.school
    return (
        is_teacher_of_class(user, open_class)
        or scope.is_superuser
        or school.pk in scope.staff_school_ids
        or school.district_id in scope.district_ids
    )


def has_started(open_class: OpenClass, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= open_class.starts_at


def may_observe(teacher: Teacher, open_class: OpenClass) -> bool:
    """Same school, or the same district when the class is district level or above."""
    school = open_class.teacher.school
    if teacher.school_id == school.pk:
        return True
    return open_class.level >= Level.DISTRICT and teacher.school.district_id == school.district_id


def signup_refusal(teacher: Teacher | None, open_class: OpenClass, now=None) -> str | None:
    """Why this teacher cannot sign up (or cancel) now; None when they can."""
    if teacher is None:
        return _("Only teachers on the roster can sign up to observe.")
    if open_class.teacher_id == teacher.pk:
        return _("You cannot sign up to observe your own class.")
    if open_class.status not in PUBLISHED:
        return _("Sign-up opens once the open class has been submitted.")
    if has_started(open_class, now):
        return _("Sign-up closes when the class starts.")
    if not may_observe(teacher, open_class):
        return _("This open class is open to teachers of its own school only.")
    return None


def is_signed_up(teacher: Teacher | None, open_class: OpenClass) -> bool:
    if teacher is None:
        return False
    return OpenClassSignup.objects.filter(open_class=open_class, observer=teacher).exists()


def is_attendee(
    teacher: Teacher | None, open_class: OpenClass, *, signed_up: bool | None = None
) -> bool:
    """May evaluate the class: a signed-up observer or any teacher of its school, never the
    teacher giving it. ``signed_up`` saves a query when the caller already knows."""
    if teacher is None or open_class.teacher_id == teacher.pk:
        return False
    if open_class.status not in PUBLISHED:
        return False
    if teacher.school_id == open_class.teacher.school_id:
        return True
    return is_signed_up(teacher, open_class) if signed_up is None else signed_up


def evaluation_refusal(
    teacher: Teacher | None, open_class: OpenClass, now=None, *, signed_up: bool | None = None
) -> str | None:
    """Why this teacher cannot evaluate the class now; None when they can."""
    if teacher is not None and open_class.teacher_id == teacher.pk:
        return _("You cannot evaluate your own class.")
    if not is_attendee(teacher, open_class, signed_up=signed_up):
        return _("Only teachers who observed the class can evaluate it.")
    if not has_started(open_class, now):
        return _("Evaluations open when the class starts.")
    return None


# -- reads -----------------------------------------------------------------------------------------
def open_classes_visible_to(user: User) -> QuerySet[OpenClass]:
    """Every open class the user may see on the calendar (see the module docstring)."""
    scope = user.scope
    qs = OpenClass.objects.exclude(status=Status.ARCHIVED)
    own = Q(teacher__user_id=user.pk)
    if scope.is_superuser:
        return qs.filter(own | Q(status__in=PUBLISHED))
    schools = member_school_ids(user)
    districts_of_schools = School.objects.filter(pk__in=schools).values("district_id")
    where = (
        Q(teacher__school_id__in=schools)
        | Q(teacher__school__district_id__in=scope.district_ids)
        | Q(level__gte=Level.DISTRICT, teacher__school__district_id__in=districts_of_schools)
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


def month_grid(
    *, month: Month, classes: list[OpenClass], today: datetime.date | None = None
) -> list[list[dict]]:
    """Weeks (Monday first) of days, each with the classes starting that day."""
    today = today or timezone.localdate()
    by_day = defaultdict(list)
    for open_class in classes:
        by_day[timezone.localtime(open_class.starts_at).date()].append(open_class)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [
        [
            {
                "date": day,
                "in_month": day.month == month.month,
                "is_today": day == today,
                "classes": by_day.get(day, []),
            }
            for day in week
        ]
        for week in weeks
    ]


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


# -- writes ----------------------------------------------------------------------------------------
def _require_observer(user: User) -> Teacher:
    teacher = observer_profile(user)
    if teacher is None:
        # Staff and the district office may look at the calendar but do not observe here.
        raise PermissionDenied
    return teacher


@transaction.atomic
def signup_add(*, open_class: OpenClass, by: User) -> OpenClassSignup:
    """Sign up to observe; signing up twice keeps one sign-up."""
    teacher = _require_observer(by)
    refusal = signup_refusal(teacher, open_class)
    if refusal:
        raise ValidationError(refusal)
    try:
        with transaction.atomic():
            signup, _created = OpenClassSignup.objects.get_or_create(
                open_class=open_class, observer=teacher
            )
    except IntegrityError:  # a second tab signed up in between
        signup = OpenClassSignup.objects.get(open_class=open_class, observer=teacher)
    return signup


@transaction.atomic
def signup_cancel(*, open_class: OpenClass, by: User) -> None:
    """Cancel a sign-up; cancelling one that does not exist does nothing."""
    teacher = _require_observer(by)
    refusal = signup_refusal(teacher, open_class)
    if refusal:
        raise ValidationError(refusal)
    OpenClassSignup.objects.filter(open_class=open_class, observer=teacher).delete()


def signup_toggle(*, open_class: OpenClass, by: User, want: bool | None = None) -> bool:
    """Sign up or cancel; ``want`` makes the intent explicit, so a second click of the same
    button changes nothing. Returns whether the user is signed up afterwards."""
    teacher = _require_observer(by)
    if want is None:
        want = not is_signed_up(teacher, open_class)
    if want:
        signup_add(open_class=open_class, by=by)
    else:
        signup_cancel(open_class=open_class, by=by)
    return want


@transaction.atomic
def evaluation_save(
    *,
    open_class: OpenClass,
    by: User,
    design: int,
    delivery: int,
    engagement: int,
    effect: int,
    comments: str,
    log_observation: bool = False,
) -> OpenClassEvaluation:
    """Hand in (or correct) one's evaluation of an open class: one per observer."""
    teacher = _require_observer(by)
    if not is_attendee(teacher, open_class):
        raise PermissionDenied
    if not has_started(open_class):
        raise ValidationError(_("Evaluations open when the class starts."))
    evaluation = (
        OpenClassEvaluation.objects.select_for_update()
        .filter(open_class=open_class, observer=teacher)
        .first()
    ) or OpenClassEvaluation(open_class=open_class, observer=teacher)
    evaluation.design, evaluation.delivery = design, delivery
    evaluation.engagement, evaluation.effect = engagement, effect
    evaluation.comments = (comments or "").strip()
    evaluation.full_clean()
    evaluation.save()
    if log_observation:
        observation_from_evaluation(evaluation=evaluation, by=by)
    return evaluation


def observation_from_evaluation(*, evaluation: OpenClassEvaluation, by: User) -> Observation:
    """The observer's class observation (听课记录, a draft) for the evaluated class; asking
    again returns the one already logged."""
    open_class = evaluation.open_class
    existing = Observation.objects.filter(
        teacher=evaluation.observer, open_class=open_class
    ).first()
    if existing is not None:
        return existing
    observation = Observation(
        teacher=evaluation.observer,
        date=timezone.localtime(open_class.starts_at).date(),
        observed_teacher=open_class.teacher,
        open_class=open_class,
        subject=open_class.subject,
        class_name=open_class.grade_class,
        notes=evaluation.comments,
        rating=int(evaluation.average + 0.5),  # 3.5 → 4, not banker's rounding
    )
    # record_save validates before Observation.save() fills the title in.
    observation.title = f"{open_class.teacher.name} · {open_class.subject}"
    return record_save(record=observation, by=by)
