"""One school's designations, selection rounds, reserve, targets, grades and duty reports."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.utils import timezone

from assessment.models import AnnualGrade, DutyReport, Grade
from backbone.models import (
    Candidate,
    Designation,
    ReserveEntry,
    SelectionRound,
    Target,
    Tier,
    term_end_date,
)
from core.models import school_year_label
from scoring.models import Entrant, Item, Panel, PanelMember
from teachers.models import Teacher, Title

from .constants import BACKBONE_SHARE, BUREAUS, DUTY_REPORT, GRADE_WEIGHTS, TIER_SHARES, TZ


class DesignationSteps:
    """SchoolSeeder's designation steps: tier designations with their history, the
    selection rounds they came from, the reserve pool and targets, grades and duty reports."""

    def designations(self) -> None:
        rng, current = self.rng, self.current
        pool = sorted(
            (t for t in self.active if t.title >= Title.SECOND and self.years_of(t) >= 5),
            key=lambda t: (-t.title, t.career_start, t.staff_no),
        )
        login = self.login
        if login is not None:
            # The teacher login holds the school tier, as most backbone teachers do.
            pool = [t for t in pool if t is not login]
            pool.insert(len(pool) // 2, login)
        count = min(len(pool), max(1, round(len(self.active) * BACKBONE_SHARE)))
        holders, rest = pool[:count], pool[count:]
        plan = []
        for code, share in TIER_SHARES:
            plan += [code] * round(count * share)
        plan = (plan + ["school"] * count)[:count]
        if login in holders:
            plan[holders.index(login)] = "school"
        current_rows, history = [], []
        self.holders: dict[int, Designation] = {}
        for teacher, code in zip(holders, plan, strict=True):
            tier = self.tiers[code]
            first = current - rng.randrange(tier.default_term_years)
            designation = self.designation(teacher, tier, first)
            current_rows.append(designation)
            self.holders[teacher.pk] = designation
            below = self.tier_below(tier)
            earlier = first - (below.default_term_years if below else 2)
            if below and rng.random() < 0.8 and self.in_service(teacher, earlier):
                # Promoted from the tier below, or that term simply ran out.
                promoted = rng.random() < 0.5
                old = self.designation(teacher, below, earlier)
                old.status = (
                    Designation.Status.SUPERSEDED if promoted else Designation.Status.EXPIRED
                )
                old.closed_on = (
                    datetime.date(first, 9, 1) if promoted else term_end_date(old.last_year)
                )
                old._promoted_to = designation if promoted else None
                if promoted:
                    designation.source = Designation.Source.PROMOTION
                    designation.round = None
                    designation._round_key = None
                history.append(old)
            elif code == "school" and rng.random() < 0.4 and self.in_service(teacher, first - 2):
                old = self.designation(teacher, tier, first - 2)
                old.status, old.closed_on = Designation.Status.EXPIRED, term_end_date(first - 1)
                history.append(old)
            if code in ("municipal", "provincial") and rng.random() < 0.5:
                honorary = rng.choice(["subject_leader", "teaching_expert", "famous_teacher"])
                history.append(self.designation(teacher, self.tiers[honorary], first))
        # Former backbone teachers: a term that ran out, now and then one revoked.
        for teacher in rest[3 : 3 + len(rest) // 5]:
            first = current - rng.randint(3, 5)
            if not self.in_service(teacher, first):
                continue
            old = self.designation(teacher, self.tiers["school"], first)
            if rng.random() < 0.15:
                old.status = Designation.Status.REVOKED
                old.closed_on = datetime.date(first + 1, 7, 10)
                old.closed_reason = "年度考核不合格，经学校研究决定撤销骨干教师称号。"
                old.closed_by = self.principal
            else:
                old.status, old.closed_on = Designation.Status.EXPIRED, term_end_date(old.last_year)
            history.append(old)
        self.rounds_for(current_rows + history)
        Designation.objects.bulk_create(current_rows)
        for old in history:
            target = getattr(old, "_promoted_to", None)
            old.promoted_to_id = target.pk if target else None
        Designation.objects.bulk_create(history)
        self.reserve = rest[:3]
        self.bench.counts["designations"] += len(current_rows) + len(history)

    def tier_below(self, tier: Tier) -> Tier | None:
        below = [
            t for t in self.tiers.values() if t.kind == Tier.Kind.TIER and t.level < tier.level
        ]
        return max(below, key=lambda t: t.level) if below else None

    def designation(self, teacher: Teacher, tier: Tier, first: int) -> Designation:
        by_school = tier.designated_by_school
        designation = Designation(
            teacher=teacher,
            tier=tier,
            is_honorary=tier.is_honorary,
            first_year=first,
            last_year=first + tier.default_term_years - 1,
            designated_by=self.school.name
            if by_school
            else BUREAUS[tier.code].format(area=self.area),
            certificate_no=f"{tier.code[:2].upper()}{first}{self.school.code[-3:]}{teacher.staff_no}",
            source=Designation.Source.ROUND if by_school else Designation.Source.EXTERNAL,
            designated_on=datetime.date(first, 10, 15),
        )
        designation._round_key = first if by_school else None
        return designation

    def rounds_for(self, designations: list[Designation]) -> None:
        """The confirmed school-level selection round behind each school-tier designation,
        with its candidates (the designated teachers and a few who were not)."""
        by_year = defaultdict(list)
        for d in designations:
            if getattr(d, "_round_key", None) is not None:
                by_year[d._round_key].append(d)
        tier = self.tiers["school"]
        rounds = {
            year: SelectionRound(
                school=self.school,
                tier=tier,
                title=f"{school_year_label(year)}学年校级骨干教师评选",
                year=year,
                term_years=tier.default_term_years,
                quota=len(rows),
                apply_from=datetime.date(year, 9, 10),
                apply_until=datetime.date(year, 9, 30),
                status=SelectionRound.Status.CONFIRMED,
                announce_from=datetime.date(year, 10, 8),
                announce_until=datetime.date(year, 10, 14),
                opened_by=self.office,
                confirmed_at=datetime.datetime(year, 10, 15, 10, tzinfo=TZ),
                confirmed_by=self.principal,
            )
            for year, rows in by_year.items()
        }
        panels = Panel.objects.bulk_create(
            Panel(school=self.school, revealed_at=timezone.now()) for _round in rounds.values()
        )
        for round, panel in zip(rounds.values(), panels, strict=True):
            round.panel = panel
        SelectionRound.objects.bulk_create(rounds.values())
        PanelMember.objects.bulk_create(PanelMember(panel=p, user=self.office) for p in panels)
        Item.objects.bulk_create(
            Item(panel=p, name=name, weight=weight, position=i)
            for p in panels
            for i, (name, weight) in enumerate(
                (("师德表现", 20), ("教学业绩", 50), ("教研能力", 30))
            )
        )
        candidates = []
        others = [t for t in self.active if t.pk not in {d.teacher_id for d in designations}]
        for year, rows in by_year.items():
            round = rounds[year]
            for d in rows:
                d.round = round
            chosen = {d.teacher_id for d in rows}
            losers = self.rng.sample(others, min(len(others), max(1, len(rows) // 3)))
            ranked = [d.teacher for d in rows] + [t for t in losers if t.pk not in chosen]
            for rank, teacher in enumerate(ranked, start=1):
                candidates.append(
                    Candidate(
                        round=round,
                        teacher=teacher,
                        source=self.rng.choice(list(Candidate.Source.values)),
                        is_eligible=True,
                        score=Decimal(95 - rank),
                        rank=rank,
                        proposed=teacher.pk in chosen,
                        added_by=self.office,
                    )
                )
        entrants = Entrant.objects.bulk_create(
            Entrant(panel_id=c.round.panel_id, user_id=c.teacher.user_id) for c in candidates
        )
        for candidate, entrant in zip(candidates, entrants, strict=True):
            candidate.entrant = entrant
        Candidate.objects.bulk_create(candidates)

    def reserve_and_targets(self) -> None:
        ReserveEntry.objects.bulk_create(
            ReserveEntry(
                teacher=t,
                tier=self.tiers["school"],
                reason="教学成绩突出，积极参加教研活动",
                marked_by=self.office,
            )
            for t in self.reserve
        )
        held = Counter(d.tier.code for d in self.holders.values())
        Target.objects.bulk_create(
            Target(
                school=self.school,
                tier=self.tiers[code],
                by_year=self.current + 1,
                count=held[code] + extra,
                created_by=self.principal,
            )
            for code, extra in (("school", 3), ("district", 2), ("municipal", 1))
        )

    # -- grades and duty reports ------------------------------------------------------------
    def grades(self) -> None:
        grades, weights = zip(*GRADE_WEIGHTS, strict=True)
        rows = [
            AnnualGrade(
                teacher=t,
                year=year,
                grade=self.rng.choices(grades, weights)[0],
                recorded_by=self.office,
            )
            for t in self.roster
            for year in self.bench.years[:-1]
            if self.in_service(t, year)
        ]
        AnnualGrade.objects.bulk_create(rows)
        last = self.current - 1
        flagged = [
            self.holders[g.teacher_id]
            for g in rows
            if g.year == last and g.grade == Grade.UNQUALIFIED and g.teacher_id in self.holders
        ]
        reason = f"在{school_year_label(last)}学年度考核中被评为不合格。"
        Designation.objects.filter(pk__in=[d.pk for d in flagged]).update(
            flagged_at=timezone.now(), flag_reason=reason
        )
        reports = [
            DutyReport(
                teacher_id=teacher_id,
                year=year,
                text=DUTY_REPORT,
                submitted_at=datetime.datetime(year + 1, 6, 25, 10, tzinfo=TZ),
            )
            for teacher_id, d in self.holders.items()
            for year in range(max(d.first_year, self.bench.years[0]), self.current)
            if self.rng.random() < 0.95
        ]
        DutyReport.objects.bulk_create(reports)
        self.bench.counts["annual grades"] += len(rows)
