"""The calendar's named predicates: who uses the calendar, who may sign up for an open class,
who evaluates it and who reads the evaluations (the rules of the package docstring).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from teachers.models import Teacher

from ...models import Level, OpenClass, OpenClassSignup, Status

PUBLISHED = (Status.PLANNED, Status.SUBMITTED, Status.VERIFIED)
CRITERIA = ("design", "delivery", "engagement", "effect")


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
    return scope.is_superuser or scope.reads_districts or bool(member_school_ids(user))


def is_teacher_of_class(user: User, open_class: OpenClass) -> bool:
    return open_class.teacher.user_id is not None and open_class.teacher.user_id == user.pk


def can_read_evaluations(user: User, open_class: OpenClass) -> bool:
    scope = user.scope
    school = open_class.teacher.school
    return (
        is_teacher_of_class(user, open_class)
        or scope.is_superuser
        or school.pk in scope.staff_school_ids
        or school.district_id in scope.readable_district_ids
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
