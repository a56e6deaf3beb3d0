"""One teacher's records over the previous and the current school year: dates, statuses,
the audit trail the workflow would leave, and a year of work.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from core.demo import Demo
from core.models import school_year_start
from teachers.models import Teacher

from ..models import AuditEntry, Level, OpenClass, Paper, Record, ResearchProject, Status
from ..services.workflow import record_create_trusted
from .constants import RETURN_REASONS, TZ, HoursPlan
from .kinds import KindSteps

ONE_DAY = datetime.timedelta(days=1)


class RecordSeeder(KindSteps):
    """One teacher's records over the previous and the current school year."""

    def __init__(self, *, demo: Demo, teacher: Teacher, plan: HoursPlan, office):
        self.demo, self.teacher, self.plan, self.office = demo, teacher, plan, office
        self.rng = random.Random(f"records-{teacher.staff_no}")
        self.is_login = teacher.user_id is not None
        self.colleagues = list(
            Teacher.objects.filter(school=teacher.school, is_active=True, pk__in=demo.teacher_ids)
            .exclude(pk=teacher.pk)
            .order_by("staff_no")
        )
        current = demo.current_year
        previous = demo.school_years[1]
        self.today = demo.today
        self.periods = {
            "previous": (previous.start_date, previous.semesters.order_by("-number")[0].end_date),
            "current": (current.start_date, max(current.start_date, demo.today)),
        }
        self.reasons = iter(self.rng.sample(RETURN_REASONS, len(RETURN_REASONS)))
        self.school_years = {
            y.start_year: (y, sorted(y.semesters.all(), key=lambda s: s.number))
            for y in demo.school_years
        }

    # -- dates and statuses --------------------------------------------------------------------
    def day(self, period: str, *, share: float | None = None) -> datetime.date:
        start, end = self.periods[period]
        span = (end - start).days
        share = self.rng.random() if share is None else share
        day = start + datetime.timedelta(days=int(span * share))
        return day - datetime.timedelta(days=2) if day.weekday() == 6 else day  # not Sundays

    def in_term(self, day: datetime.date) -> bool:
        _year, semesters = self.school_years.get(school_year_start(day), (None, []))
        return any(s.start_date <= day <= s.end_date for s in semesters)

    def school_day(self, day: datetime.date, *, upcoming: bool = False) -> datetime.date:
        """The nearest weekday in a semester: later for an upcoming class (never today or
        before), otherwise earlier, then later if need be (never after today)."""
        steps = [1] if upcoming else [-1, 1]
        for step in steps:
            candidate = day
            for _ in range(60):
                fits = candidate.weekday() < 5 and self.in_term(candidate)
                if fits and (candidate > self.today if upcoming else candidate <= self.today):
                    return candidate
                candidate += datetime.timedelta(days=step)
        return day

    def holiday(self, day: datetime.date, which: str) -> tuple[datetime.date, datetime.date]:
        """The winter or summer holiday of the school year ``day`` falls in."""
        year, semesters = self.school_years[school_year_start(day)]
        first, second = semesters
        if which == "winter":
            return first.end_date + ONE_DAY, second.start_date - ONE_DAY
        return second.end_date + ONE_DAY, year.end_date

    def status_for(self, period: str, day: datetime.date) -> str:
        if period == "previous":
            return Status.VERIFIED if self.rng.random() < 0.92 else Status.ARCHIVED
        age = (self.today - day).days
        roll = self.rng.random()
        if age > 30:
            return Status.VERIFIED if roll < 0.75 else Status.SUBMITTED
        return Status.SUBMITTED if roll < 0.55 else Status.DRAFT

    def moment(self, day: datetime.date, hours: int) -> datetime.datetime:
        when = datetime.datetime.combine(day, datetime.time(16, 0), tzinfo=TZ)
        when += datetime.timedelta(hours=hours)
        return min(when, timezone.now())

    # -- saving ------------------------------------------------------------------------------
    def save(self, record: Record, status: str, *, reason: str = "") -> Record:
        record.teacher = self.teacher
        record_create_trusted(record=record, actor=self.teacher.user)
        AuditEntry.objects.filter(record_id=record.pk).update(at=self.moment(record.date, 0))
        if status == Status.DRAFT:
            return record
        if status == Status.PLANNED:
            Record.objects.filter(pk=record.pk).update(status=status)
            entry = AuditEntry.objects.create(
                record_id=record.pk, actor=self.teacher.user, action=AuditEntry.Action.PLANNED
            )
            AuditEntry.objects.filter(pk=entry.pk).update(
                at=min(timezone.now(), self.moment(self.today, -8))
            )
            return record
        submitted = self.moment(record.date, 20)
        fields = {"status": status, "submitted_at": submitted}
        trail = [(AuditEntry.Action.SUBMITTED, self.teacher.user, submitted, "")]
        if status in (Status.VERIFIED, Status.ARCHIVED):
            verified = self.moment(record.date, 70)
            fields.update(verified_at=verified, verified_by=self.office)
            trail.append((AuditEntry.Action.VERIFIED, self.office, verified, ""))
        if status == Status.ARCHIVED:
            fields["archived_at"] = self.moment(record.date, 200)
            trail.append((AuditEntry.Action.ARCHIVED, self.office, fields["archived_at"], ""))
        if status == Status.RETURNED:
            reason = reason or next(self.reasons, RETURN_REASONS[0])
            fields["return_reason"] = reason
            returned = self.moment(record.date, 50)
            trail.append((AuditEntry.Action.RETURNED, self.office, returned, reason))
        Record.objects.filter(pk=record.pk).update(**fields)
        for action, actor, at, note in trail:
            entry = AuditEntry.objects.create(
                record_id=record.pk, actor=actor, action=action, note=note
            )
            AuditEntry.objects.filter(pk=entry.pk).update(at=at)
        return record

    # -- a year of work --------------------------------------------------------------------
    def hours(self, period: str, total: Decimal, school_based: Decimal, status=Status.VERIFIED):
        """Training sessions adding up to exactly ``total`` hours, ``school_based`` of them
        school-based."""
        for amount, based in ((school_based, True), (total - school_based, False)):
            sizes = [Decimal(3), Decimal(4), Decimal(2)] if based else [Decimal(6), Decimal(12)]
            left = amount
            while left > 0:
                size = min(left, self.rng.choice(sizes))
                if 0 < left - size < 1:  # no half-hour leftover as a session of its own
                    size = left
                day = self.day(period, share=self.session_share(period, status))
                self.training(day, status, hours=size, school_based=based)
                left -= size

    def session_share(self, period: str, status: str) -> float | None:
        """Where in the period a session falls: awaiting verification means recent, this
        year's verified sessions are the older ones."""
        if status == Status.SUBMITTED:
            return self.rng.uniform(0.8, 1.0)
        if period == "current":
            return self.rng.uniform(0.0, 0.6)
        return None

    def previous_year(self) -> None:
        total, based = (Decimal(v) for v in self.plan.previous)
        self.hours("previous", total, based)
        talk = self.lecture(self.day("previous", share=0.7), Status.VERIFIED)
        self.open_class(self.day("previous", share=0.3), Status.VERIFIED, level=Level.DISTRICT)
        report = self.open_class(
            self.day("previous", share=0.55), Status.VERIFIED, kind=OpenClass.ClassKind.REPORT
        )
        for _ in range(self.rng.randint(4, 7)):
            self.observation(self.day("previous"), self.status_for("previous", self.today))
        self.paper(
            self.day("previous", share=0.8), Status.VERIFIED, progress=Paper.Progress.AWARDED
        )
        for share in (0.1, 0.35, 0.6, 0.9):
            self.reading(self.day("previous", share=share), Status.VERIFIED)
        for share in (0.2, 0.5):
            self.teaching_reflection(self.day("previous", share=share), Status.VERIFIED)
        self.study_trip(
            self.day("previous", share=0.45),
            Status.VERIFIED,
            follow_up=self.rng.choice([talk, report]),
        )
        if self.is_login:
            self.project(self.day("previous", share=0.15), Status.VERIFIED)
            self.plan_record(
                self.day("previous", share=0.05),
                Status.VERIFIED,
                first_year=self.demo.school_years[1].start_year,
            )

    def current_year(self) -> None:
        total, based = (Decimal(v) for v in self.plan.current)
        self.hours("current", total, based)
        if Decimal(self.plan.pending):
            pending = Decimal(self.plan.pending)
            self.hours("current", pending, min(pending, Decimal(3)), status=Status.SUBMITTED)
        self.training(
            self.day("current", share=0.5), Status.RETURNED, hours=Decimal(8), school_based=False
        )
        self.training(self.day("current", share=0.98), Status.DRAFT, hours=3, school_based=True)
        early = self.day("current", share=0.2)
        self.open_class(early, Status.VERIFIED, kind=OpenClass.ClassKind.DEMONSTRATION)
        # An upcoming open class, on the calendar for colleagues to sign up.
        upcoming = self.today + datetime.timedelta(days=self.rng.randint(3, 20))
        kind = self.rng.choice([OpenClass.ClassKind.RESEARCH, OpenClass.ClassKind.OUTREACH])
        self.open_class(upcoming, Status.PLANNED, kind=kind)
        for _ in range(self.rng.randint(2, 5)):
            day = self.day("current")
            self.observation(day, self.status_for("current", day))
        self.observation(self.day("current", share=0.6), Status.RETURNED)
        published = Paper.Progress.PUBLISHED
        self.paper(self.day("current", share=0.4), Status.RETURNED, progress=published)
        self.paper(self.day("current", share=0.95), Status.DRAFT)
        self.lecture(self.day("current", share=0.7), Status.SUBMITTED)
        for share in (0.05, 0.4, 0.75):
            day = self.day("current", share=share)
            self.reading(day, self.status_for("current", day))
        day = self.day("current", share=0.3)
        self.teaching_reflection(day, self.status_for("current", day))
        if self.is_login:
            self.project(
                self.day("current", share=0.3),
                Status.SUBMITTED,
                role=ResearchProject.Role.MEMBER,
                level=Level.SCHOOL,
            )
        elif self.rng.random() < 0.5:
            self.plan_record(
                self.day("current", share=0.9),
                Status.DRAFT,
                first_year=self.demo.current_year.start_year,
            )
