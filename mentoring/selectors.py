"""Every read the mentoring pages need, already scoped, and the permission predicates.

Who may do what with a pairing:
- the mentor and the apprentice ("the parties"): read it, log observations and guidance
  sessions, confirm the other party's sessions; the mentor writes the final appraisal;
- managers (principal, training office of the school): read, assign, approve, decline, end,
  complete and renew;
- committee members and the district office: read only;
- everyone else: 404.

Private guidance sessions: people other than the parties see that a session happened (date,
kind, "private"), never its notes or follow-up; the text is not even read from the database.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from backbone.models import Designation
from core.models import User, school_year_start
from records.models import Observation, OpenClass, Status
from records.services.plans import plan_reader
from teachers.models import Teacher

from .models import GuidanceSession, Pairing

# The mentoring duty of a backbone teacher: guide 3–5 people in 3 years (DOMAIN.md).
DUTY_MIN_APPRENTICES = 3
DUTY_MAX_APPRENTICES = 5
DUTY_YEARS = 3
# Pairings that really took place (load, outcomes); proposed and declined ones did not.
HELD_STATUSES = (Pairing.Status.ACTIVE, Pairing.Status.COMPLETED, Pairing.Status.ENDED_EARLY)
# Pairings in which the parties still log activity.
LOGGING_STATUSES = (Pairing.Status.ACTIVE, Pairing.Status.COMPLETED)


def max_apprentices() -> int:
    """How many apprentices a mentor may guide at once before approval needs "approve
    anyway" (settings.MENTOR_MAX_APPRENTICES, default 3)."""
    return int(getattr(settings, "MENTOR_MAX_APPRENTICES", 3))


# -- named predicates ----------------------------------------------------------------------------
def own_teacher(user: User) -> Teacher | None:
    return getattr(user, "teacher", None) if user.is_authenticated else None


def is_mentor(user: User, pairing: Pairing) -> bool:
    return user.pk is not None and pairing.mentor.user_id == user.pk


def is_apprentice(user: User, pairing: Pairing) -> bool:
    return user.pk is not None and pairing.apprentice.user_id == user.pk


def is_party(user: User, pairing: Pairing) -> bool:
    return is_mentor(user, pairing) or is_apprentice(user, pairing)


def can_manage(user: User, pairing: Pairing) -> bool:
    """The principal or training office of the pairing's school (or a superuser)."""
    return user.scope.can_manage_school(pairing.school_id)


def other_party(user: User, pairing: Pairing) -> Teacher:
    return pairing.apprentice if is_mentor(user, pairing) else pairing.mentor


def can_renew(user: User, pairing: Pairing) -> bool:
    """Managers renew an active or completed pairing; the parties propose renewing a
    completed one (the renewal is approved like any new pairing)."""
    if pairing.status == Pairing.Status.COMPLETED:
        return can_manage(user, pairing) or is_party(user, pairing)
    return pairing.status == Pairing.Status.ACTIVE and can_manage(user, pairing)


# -- one pairing ---------------------------------------------------------------------------------
def _pairings() -> QuerySet[Pairing]:
    return Pairing.objects.select_related(
        "school__district", "mentor", "apprentice", "approved_by", "requested_by"
    )


def find_pairing(*, user: User, pk) -> Pairing | None:
    """The pairing if the user may see it, else None."""
    return _pairings().visible_to(user).filter(pk=pk).first()


def get_pairing(*, user: User, pk: int) -> Pairing:
    """A pairing the user may see; 404 otherwise (even by guessing an id)."""
    pairing = find_pairing(user=user, pk=pk)
    if pairing is None:
        raise Http404
    return pairing


def get_pairing_to_manage(*, user: User, pk: int) -> Pairing:
    pairing = get_pairing(user=user, pk=pk)
    if not can_manage(user, pairing):
        raise PermissionDenied
    return pairing


def get_pairing_for_party(*, user: User, pk: int, mentor_only: bool = False) -> Pairing:
    """A pairing in which the user is the mentor (or, unless mentor_only, the apprentice):
    404 to those who may not see it, 403 to those who may only read it."""
    pairing = get_pairing(user=user, pk=pk)
    allowed = is_mentor(user, pairing) if mentor_only else is_party(user, pairing)
    if not allowed:
        raise PermissionDenied
    return pairing


def get_session_to_confirm(*, user: User, pk: int) -> GuidanceSession:
    session = (
        GuidanceSession.objects.select_related("pairing__mentor", "pairing__apprentice")
        .filter(pk=pk, pairing__in=Pairing.objects.visible_to(user))
        .first()
    )
    if session is None:
        raise Http404
    if not is_party(user, session.pairing):
        raise PermissionDenied
    return session


def renewal_of(pairing: Pairing) -> Pairing | None:
    return Pairing.objects.filter(renewed_from=pairing).first()


# -- lists ---------------------------------------------------------------------------------------
def pairing_list(*, user: User, status: str = "") -> QuerySet[Pairing]:
    """Staff and the district: every pairing of their schools; teachers: their own."""
    pairings = _pairings().visible_to(user).order_by("status", "-start_date", "pk")
    if status:
        pairings = pairings.filter(status=status)
    return pairings


def sees_school_pairings(user: User) -> bool:
    scope = user.scope
    return scope.is_superuser or scope.is_school_staff or scope.reads_districts


# -- mentor load ---------------------------------------------------------------------------------
@dataclass
class MentorLoad:
    """A mentor's apprentices now and over the last three school years, against the duty."""

    current: int = 0
    proposed: int = 0
    recent: int = 0  # distinct apprentices in the current and the two previous school years
    maximum: int = 3

    @property
    def at_maximum(self) -> bool:
        return self.current >= self.maximum

    @property
    def over_maximum(self) -> bool:
        return self.current > self.maximum

    @property
    def duty_status(self) -> str:
        """ "below", "met" or "above" the duty of 3–5 apprentices in 3 years."""
        if self.recent < DUTY_MIN_APPRENTICES:
            return "below"
        return "met" if self.recent <= DUTY_MAX_APPRENTICES else "above"


def duty_window_start(today: datetime.date) -> datetime.date:
    return datetime.date(school_year_start(today) - (DUTY_YEARS - 1), 9, 1)


def mentor_loads(*, mentor_ids, today: datetime.date | None = None) -> dict[int, MentorLoad]:
    """The load of each mentor, in one query."""
    today = today or timezone.localdate()
    window_start = duty_window_start(today)
    maximum = max_apprentices()
    loads = {pk: MentorLoad(maximum=maximum) for pk in mentor_ids}
    recent: dict[int, set[int]] = {}
    rows = (
        Pairing.objects.filter(
            mentor_id__in=loads.keys(), status__in=[*HELD_STATUSES, Pairing.Status.PROPOSED]
        )
        .annotate(period_end=Coalesce("ended_on", "end_date"))
        .values_list("mentor_id", "apprentice_id", "status", "start_date", "period_end")
    )
    for mentor_id, apprentice_id, status, start, end in rows:
        load = loads[mentor_id]
        if status == Pairing.Status.PROPOSED:
            load.proposed += 1
            continue
        if status == Pairing.Status.ACTIVE:
            load.current += 1
        if start <= today and end >= window_start:
            recent.setdefault(mentor_id, set()).add(apprentice_id)
    for mentor_id, apprentices in recent.items():
        loads[mentor_id].recent = len(apprentices)
    return loads


def mentor_load(*, mentor: Teacher, today: datetime.date | None = None) -> MentorLoad:
    return mentor_loads(mentor_ids=[mentor.pk], today=today)[mentor.pk]


def mentor_table(*, user: User) -> list[Teacher]:
    """Every possible mentor of the user's schools: teachers with a pairing as mentor or a
    current backbone designation, each with ``.load`` and ``.outcome_count``."""
    from .outcomes import outcomes_for_mentors

    scope = user.scope
    schools = Q() if scope.is_superuser else scope.school_filter()
    designated = Designation.objects.current().tiers().filter(teacher=OuterRef("pk"))
    mentoring = Pairing.objects.filter(mentor=OuterRef("pk"), status__in=HELD_STATUSES)
    teachers = list(
        Teacher.objects.filter(schools, is_active=True)
        .filter(Exists(designated) | Exists(mentoring))
        .select_related("school")
        .order_by("school", "name", "pk")
    )
    loads = mentor_loads(mentor_ids=[t.pk for t in teachers])
    outcomes = outcomes_for_mentors(mentors=teachers)
    for teacher in teachers:
        teacher.load = loads[teacher.pk]
        teacher.outcome_count = len(outcomes[teacher.pk])
    return teachers


# -- the pairing page ----------------------------------------------------------------------------
def pairing_observations(*, pairing: Pairing, user: User) -> list[Observation]:
    """Observations tagged with the pairing, both directions. As everywhere, a draft is seen
    by its author only; ``.can_open`` says whether the record page is open to the user."""
    observations = list(
        Observation.objects.filter(pairing=pairing)
        .exclude(status=Status.ARCHIVED)
        .filter(Q(teacher__user_id=user.pk) | ~Q(status=Status.DRAFT))
        .select_related("teacher", "observed_teacher")
        .order_by("-date", "-pk")
    )
    staff = user.scope.can_view_school(pairing.school_id)
    for observation in observations:
        observation.can_open = staff or observation.teacher.user_id == user.pk
        observation.by_mentor = observation.teacher_id == pairing.mentor_id
    return observations


def guidance_sessions(*, pairing: Pairing, user: User) -> list[GuidanceSession]:
    """The pairing's sessions with ``shown_notes`` and ``shown_follow_up``: the text for the
    parties and for sessions that are not private, empty (and ``notes_hidden``) otherwise.
    For others the notes are deferred and blanked in SQL, so they never reach the page."""
    party = is_party(user, pairing)
    sessions = pairing.sessions.select_related("logged_by", "confirmed_by")
    if party:
        sessions = sessions.annotate(
            notes_hidden=Value(False),
            shown_notes=F("notes"),
            shown_follow_up=F("follow_up"),
        )
    else:
        private, text = Q(private=True), TextField()
        sessions = sessions.defer("notes", "follow_up").annotate(
            notes_hidden=Case(When(private, then=Value(True)), default=Value(False)),
            shown_notes=Case(When(private, then=Value("")), default=F("notes"), output_field=text),
            shown_follow_up=Case(
                When(private, then=Value("")), default=F("follow_up"), output_field=text
            ),
        )
    sessions = list(sessions)
    for session in sessions:
        session.can_confirm = (
            party and session.confirmed_at is None and session.logged_by_id != user.pk
        )
    return sessions


def report_class_choices(*, pairing: Pairing) -> QuerySet[OpenClass]:
    """The apprentice's report classes (汇报课) that the mentor may link: handed in, not
    drafts (a draft is private to its author) and not archived."""
    return (
        OpenClass.objects.filter(
            teacher_id=pairing.apprentice_id, class_kind=OpenClass.ClassKind.REPORT
        )
        .exclude(status__in=[Status.DRAFT, Status.ARCHIVED])
        .order_by("-date", "-pk")
    )


# -- the apprentice's self-development plan ---------------------------------------------------
@plan_reader
def is_mentor_of(user: User, teacher: Teacher) -> bool:
    """The teacher's mentor (师傅) in an active pairing reads and comments on their plan."""
    if not user.is_authenticated:
        return False
    return Pairing.objects.filter(
        mentor__user=user, apprentice=teacher, status=Pairing.Status.ACTIVE
    ).exists()
