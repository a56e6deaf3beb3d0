"""One school's mentoring pairings, guidance sessions and pairing observations."""

import datetime
import math

from core.models import school_year_start
from mentoring.models import GuidanceSession, Pairing
from records.models import Status

from .constants import (
    APPRAISAL,
    APPRENTICE_DUTIES,
    GOALS,
    HOLIDAYS,
    MENTOR_DUTIES,
    SESSION_NOTES,
    TZ,
)


class MentoringSteps:
    """SchoolSeeder's mentoring steps: pairings, guidance sessions, pairing observations."""

    def pairings(self) -> None:
        """Young teachers paired with backbone mentors: this year's pairings (active, one
        proposed), last year's and older ones completed."""
        rng, district = self.rng, self.school.district
        mentors = sorted(
            (t for t in self.active if t.pk in self.holders),
            key=lambda t: (-self.holders[t.pk].tier.level, t.staff_no),
        )
        self.pairing_rows: list[tuple[Pairing, float]] = []
        if not mentors:
            return
        rows = []
        for year in self.bench.years:
            young = [
                t
                for t in self.roster
                if t.pk not in self.holders
                and self.in_service(t, year)
                and self.years_of(t, year) < district.stage_innovation_from
            ]
            count = min(len(young), max(1, len(self.active) // 12))
            for i, apprentice in enumerate(rng.sample(young, count)):
                mentor = mentors[i % len(mentors)]
                start = datetime.date(year, 9, 1)
                end = datetime.date(year + 1, 8, 31)
                status = Pairing.Status.ACTIVE if year == self.current else Pairing.Status.COMPLETED
                if year == self.current and i == count - 1 and count > 1:
                    status = Pairing.Status.PROPOSED
                    start = self.today + datetime.timedelta(days=14)
                    end = start + datetime.timedelta(days=364)
                if not apprentice.is_active and status != Pairing.Status.COMPLETED:
                    continue
                approved = status != Pairing.Status.PROPOSED
                pairing = Pairing(
                    school=self.school,
                    mentor=mentor,
                    apprentice=apprentice,
                    origin=rng.choice(list(Pairing.Origin.values)),
                    status=status,
                    start_date=start,
                    end_date=end,
                    goals=GOALS,
                    mentor_duties=MENTOR_DUTIES,
                    apprentice_duties=APPRENTICE_DUTIES,
                    signed_on=start if approved else None,
                    requested_by=self.office,
                    approved_by=self.office if approved else None,
                    approved_at=datetime.datetime.combine(start, datetime.time(9), tzinfo=TZ)
                    if approved
                    else None,
                    final_appraisal=APPRAISAL if status == Pairing.Status.COMPLETED else "",
                )
                # How diligently they observe each other: most keep up, some fall behind.
                diligence = rng.choice([1.0, 1.0, 1.0, 0.9, 0.75, 0.5])
                rows.append(pairing)
                self.pairing_rows.append((pairing, diligence))
        Pairing.objects.bulk_create(rows)
        sessions = []
        for pairing, _diligence in self.pairing_rows:
            if pairing.status == Pairing.Status.PROPOSED:
                continue
            last = min(self.today, pairing.end_date)
            count = rng.randint(2, 4)
            span = max((last - pairing.start_date).days, 1)
            for index, (kind, notes) in enumerate(rng.sample(SESSION_NOTES, count)):
                day = pairing.start_date + datetime.timedelta(
                    days=span * (index + 1) // (count + 1)
                )
                sessions.append(
                    GuidanceSession(
                        pairing=pairing,
                        date=day,
                        kind=kind,
                        notes=notes,
                        private=kind == GuidanceSession.Kind.REFLECTION,
                        logged_by=self.office,
                        confirmed_by=self.office,
                        confirmed_at=self.moment(day, 24),
                    )
                )
        GuidanceSession.objects.bulk_create(sessions)
        self.bench.counts["pairings"] += len(rows)

    def pairing_observations(self) -> None:
        """Observations tagged with their pairing, week by week: the mentor observes the
        apprentice twice a week, the apprentice the mentor once, as diligent as the pair is.
        Pairings older than last year keep a handful only."""
        holidays = [
            (datetime.date(y + off, *first), datetime.date(y + off, *last))
            for y in self.bench.years
            for _name, first, last, off in HOLIDAYS
        ]

        def teaching_day(day: datetime.date) -> bool:
            return (
                day.weekday() < 5
                and self.semester(day) is not None
                and not any(a <= day <= b for a, b in holidays)
            )

        for pairing, diligence in self.pairing_rows:
            if pairing.status == Pairing.Status.PROPOSED:
                continue
            year = school_year_start(pairing.start_date)
            last = min(self.today, pairing.end_date)
            if year < self.current - 1:
                for _ in range(8):
                    day = self.day(year)
                    if teaching_day(day):
                        self.observation(
                            pairing.mentor, year, observed=pairing.apprentice, day=day,
                            pairing=pairing, status=Status.VERIFIED,
                        )  # fmt: skip
                continue
            monday = pairing.start_date - datetime.timedelta(days=pairing.start_date.weekday())
            while monday <= last:
                days = [monday + datetime.timedelta(days=i) for i in range(5)]
                days = [d for d in days if pairing.start_date <= d <= last and teaching_day(d)]
                for observer, observed, per_week in (
                    (pairing.mentor, pairing.apprentice, pairing.mentor_observations_per_week),
                    (pairing.apprentice, pairing.mentor, pairing.apprentice_observations_per_week),
                ):
                    required = math.ceil(per_week * len(days) / 5)
                    done = sum(self.rng.random() < diligence for _ in range(required))
                    for day in sorted(self.rng.sample(days, min(done, len(days)))):
                        age = (self.today - day).days
                        status = (
                            Status.VERIFIED
                            if age > 21 or self.rng.random() < 0.3
                            else Status.SUBMITTED
                        )
                        self.observation(
                            observer, year, observed=observed, day=day, pairing=pairing,
                            status=status,
                        )  # fmt: skip
                monday += datetime.timedelta(days=7)
