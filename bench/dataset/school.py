"""One school: everything of it, built in memory and written with bulk inserts."""

import datetime
import random
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from backbone.models import Designation
from backbone.services.designations import designations_made
from core.demo import SchoolPlan
from core.models import School, TeachingGroup, school_year_start
from records.models import OpenClass, Record, ResearchProject, Status
from teachers.demo import RosterBuilder
from teachers.models import Teacher

from .bulk import with_kind_and_title
from .constants import BASE_PLANS, BENCH_SEED, RETURN_REASONS, TZ
from .context import Bench, scaled
from .logins import make_teacher_login
from .school_designations import DesignationSteps
from .school_mentoring import MentoringSteps
from .school_records import RecordSteps


class SchoolSeeder(DesignationSteps, RecordSteps, MentoringSteps):
    """Everything of one school, built in memory and written with bulk inserts. The roster,
    the dates and the run are here; the steps of designations, records and mentoring are in
    their own modules."""

    def __init__(self, bench: Bench, school: School, size: int):
        self.bench, self.school, self.size = bench, school, size
        self.rng = random.Random(f"{BENCH_SEED}-{school.code}")
        self.today = bench.today
        self.current = bench.current
        self.tiers = bench.tiers[school.district_id]
        self.office = bench.staff[school.pk]["office"]
        self.principal = bench.staff[school.pk]["principal"]
        self.area = school.district.area
        self.login: Teacher | None = None
        self.new_records: list[Record] = []
        self.projects: list[tuple[ResearchProject, list[Teacher]]] = []
        self.open_classes: list[OpenClass] = []

    # -- roster ---------------------------------------------------------------------------
    def plan(self) -> SchoolPlan:
        base = BASE_PLANS[self.school.kind]
        sizes = scaled([g.size for g in base.groups], self.size)
        return replace(
            base,
            code=self.school.code,
            name=self.school.name,
            groups=tuple(replace(g, size=s) for g, s in zip(base.groups, sizes, strict=True)),
            leavers=round(self.size * 0.03),
            middle_managers=min(base.middle_managers, self.size // 25),
        )

    def teachers(self) -> None:
        groups = {
            g.name: g
            for g in TeachingGroup.objects.filter(
                school=self.school, kind=TeachingGroup.Kind.RESEARCH
            )
        }
        roster = RosterBuilder(
            plan=self.plan(), school=self.school, groups=groups, current_year=self.current
        ).build()
        Teacher.objects.bulk_create(roster)
        self.roster = roster
        self.active = [t for t in roster if t.is_active]
        self.bench.counts["teachers"] += len(roster)

    def years_of(self, teacher: Teacher, year: int | None = None) -> int:
        return (year or self.current) - teacher.career_start.year

    def in_service(self, teacher: Teacher, year: int) -> bool:
        """Whether the teacher worked at the school during school year ``year``."""
        if teacher.career_start.year > year:
            return False
        return teacher.left_on is None or teacher.left_on > datetime.date(year, 9, 1)

    # -- dates -------------------------------------------------------------------------------
    def period(self, year: int) -> tuple[datetime.date, datetime.date]:
        start, end = datetime.date(year, 9, 1), datetime.date(year + 1, 7, 10)
        return start, min(end, self.today)

    def day(self, year: int, share: float | None = None) -> datetime.date:
        start, end = self.period(year)
        share = self.rng.random() if share is None else share
        day = start + datetime.timedelta(days=int((end - start).days * share))
        return day - datetime.timedelta(days=2) if day.weekday() == 6 else day

    @staticmethod
    def semester(day: datetime.date) -> int | None:
        year = school_year_start(day)
        if datetime.date(year, 9, 1) <= day <= datetime.date(year + 1, 1, 20):
            return 1
        if datetime.date(year + 1, 2, 20) <= day <= datetime.date(year + 1, 7, 10):
            return 2
        return None

    def moment(self, day: datetime.date, hours: int) -> datetime.datetime:
        when = datetime.datetime.combine(day, datetime.time(16), tzinfo=TZ)
        return min(when + datetime.timedelta(hours=hours), timezone.now())

    def status_for(self, year: int, day: datetime.date) -> str:
        roll = self.rng.random()
        if year < self.current:
            return Status.VERIFIED if roll < 0.95 else Status.ARCHIVED
        if (self.today - day).days > 30:
            return (
                Status.VERIFIED
                if roll < 0.75
                else Status.SUBMITTED
                if roll < 0.95
                else Status.RETURNED
            )
        return Status.SUBMITTED if roll < 0.5 else Status.DRAFT if roll < 0.85 else Status.VERIFIED

    def stamp(self, record: Record, teacher: Teacher, status: str) -> Record:
        """Who, when and in which state, as the services would have left it."""
        record.teacher = teacher
        record.year = school_year_start(record.date)
        record.semester = self.semester(record.date)
        record.status = status
        if status != Status.DRAFT:
            record.submitted_at = self.moment(record.date, 20)
        if status in (Status.VERIFIED, Status.ARCHIVED):
            record.verified_at = self.moment(record.date, 70)
            record.verified_by = self.office
        if status == Status.ARCHIVED:
            record.archived_at = self.moment(record.date, 200)
        if status == Status.RETURNED:
            record.return_reason = self.rng.choice(RETURN_REASONS)
        return with_kind_and_title(record)

    def run(self) -> None:
        with transaction.atomic():
            self.teachers()
            if self.school is self.bench.schools[0]:
                user = make_teacher_login(self.bench, self.school)
                self.login = next(t for t in self.roster if t.pk == user.teacher_id)
                self.login.user = user
            self.designations()
            self.reserve_and_targets()
            self.grades()
            self.pairings()
            # The designations were bulk-written before the pairings: the apps above hear of
            # them now, as they would have from the services (mentors' rewards proposed).
            designations_made(designations=Designation.objects.filter(teacher__school=self.school))
            self.records()
