"""Rules that follow from attendance: 优存劣汰, a trainee who misses a share of a programme's
sessions (default one third, ``Programme.absence_share``) loses their place."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from .models import Attendance, Enrolment, Programme, Session


@dataclass(frozen=True)
class Standing:
    """One trainee's attendance over a programme's sessions held so far."""

    held: int
    attended: int
    leave: int  # approved leave: a valid absence
    missed: int  # absent, or no line in the register of a held session
    total: int  # all the programme's sessions, held or not
    share: Decimal

    @property
    def missed_share(self) -> Decimal:
        return Decimal(self.missed) / self.total if self.total else Decimal(0)

    @property
    def loses_place(self) -> bool:
        """Missing the share of *all* sessions (held so far counted as missed) ends the place;
        a share of one third of 9 sessions is 3."""
        return self.total > 0 and self.missed_share >= self.share - Decimal("0.005")


def is_over(session: Session, now) -> bool:
    """A session counts as held once it has ended: today's counts from its end time."""
    return (session.date, session.ends_at) <= (now.date(), now.time())


def standing(
    *, programme: Programme, enrolments: list[Enrolment], sessions: list[Session]
) -> dict[int, Standing]:
    """Teacher id -> Standing, in one query for the register lines."""
    now = timezone.localtime()
    held = [s for s in sessions if s.is_published and is_over(s, now)]
    lines = {}
    for teacher_id, session_id, status in Attendance.objects.filter(
        session__in=held, teacher_id__in=[e.teacher_id for e in enrolments]
    ).values_list("teacher_id", "session_id", "status"):
        lines.setdefault(teacher_id, {})[session_id] = status
    result = {}
    for enrolment in enrolments:
        mine = lines.get(enrolment.teacher_id, {})
        attended = sum(1 for s in mine.values() if s in Attendance.ATTENDED)
        leave = sum(1 for s in mine.values() if s == Attendance.Status.LEAVE)
        result[enrolment.teacher_id] = Standing(
            held=len(held),
            attended=attended,
            leave=leave,
            missed=len(held) - attended - leave,
            total=len([s for s in sessions if s.is_published]),
            share=programme.absence_share,
        )
    return result
