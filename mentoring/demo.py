"""Demo mentoring data in the primary school: backbone teachers paired with young teachers
(the `teacher` login is the apprentice of the most senior one), observations tagged with the
pairings in a spread that puts green, amber and red pairings on the compliance overview, a few
guidance sessions, one pairing completed last year, one proposed, and the National Day holiday
(国庆节) in the district calendar.

A school that already has pairings is left alone, so running the step again adds nothing."""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from backbone.models import Designation
from core.demo import Demo, demo_step
from core.models import Holiday, School, User
from records.models import AuditEntry, Observation, Record, Status
from records.services.workflow import record_create_trusted
from teachers.models import Teacher
from teachers.stages import years_ago

from .compliance import Calendar, Week, district_calendar, pairing_compliance
from .models import GuidanceSession, Pairing

TZ = datetime.timezone(datetime.timedelta(hours=8))
MIN_WEEKS_THIS_YEAR = 6  # earlier in the school year the pairings start last February

GOALS = (
    "一年内站稳讲台：能独立完成单元教学设计，课堂组织有序、目标达成度高；"
    "学期末上一节校级汇报课，撰写一篇教学反思或案例。"
)
MENTOR_DUTIES = (
    "每周听徒弟的课不少于两节并及时评课；每月指导一次教学设计；"
    "开放自己的课堂，带徒弟参加教研活动和课题研究。"
)
APPRENTICE_DUTIES = (
    "每周听师傅的课不少于一节，写好听课记录和反思；主动请教，按时完成师傅布置的任务；"
    "期末上一节汇报课。"
)
APPRAISAL = (
    "一年来虚心好学，课堂从“讲得多”转向“学生说得多”，教学设计规范，"
    "汇报课获得教研组好评。建议继续在作业设计和课堂评价上下功夫。"
)
NOTES = "听课记录：教学目标清晰，环节紧凑；小组合作的分工还可以更明确，追问要给学生留出思考时间。"
SESSIONS = [
    (
        GuidanceSession.Kind.LESSON_PLAN,
        "一起修改下周公开课的教学设计：把导入压缩到三分钟，核心问题改为开放式。",
        "周三前交修改稿；试讲一次。",
        False,
    ),
    (
        GuidanceSession.Kind.DEBRIEF,
        "课后评课：时间把控好，板书清楚；个别学生没有参与讨论，需要设计分层任务。",
        "下周的课设计一个分层练习。",
        False,
    ),
    (
        GuidanceSession.Kind.REFLECTION,
        "谈了本学期的压力和班主任工作的困惑，商量了时间安排。",
        "",
        True,
    ),
]


# -- how diligently each pair observes --------------------------------------------------------
# A plan gets the index of a finished teaching week and how many there are, and returns the
# observations (by the mentor, by the apprentice) as a share of what the week requires.
Plan = Callable[[int, int], tuple[float, float]]


def steady(index: int, total: int) -> tuple[float, float]:
    return (0.5, 1.0) if index == 2 else (1.0, 1.0)


def patchy(index: int, total: int) -> tuple[float, float]:
    return (0.0, 1.0) if index % 3 == 1 else (1.0, 1.0)


def stalled(index: int, total: int) -> tuple[float, float]:
    if index < 2:
        return (1.0, 1.0)
    return (0.0, 1.0 if index % 4 == 0 else 0.0)


def slipping(index: int, total: int) -> tuple[float, float]:
    """On track for months, short in the last two weeks: amber for the recent misses."""
    return (0.5, 1.0) if index >= total - 2 else (1.0, 1.0)


@dataclass(frozen=True)
class PairingPlan:
    plan: Plan
    status: str = Pairing.Status.ACTIVE
    origin: str = Pairing.Origin.SCHOOL
    sessions: int = 0


# The first is the teacher login's pairing.
PAIRING_PLANS = [
    PairingPlan(patchy, origin=Pairing.Origin.APPRENTICE_REQUEST, sessions=3),
    PairingPlan(steady, sessions=2),
    PairingPlan(stalled, origin=Pairing.Origin.MENTOR_OFFER),
    PairingPlan(slipping),
    PairingPlan(steady, status=Pairing.Status.COMPLETED, sessions=1),
    PairingPlan(steady, status=Pairing.Status.PROPOSED, origin=Pairing.Origin.APPRENTICE_REQUEST),
]


# -- the step ----------------------------------------------------------------------------------
def ensure_national_day(demo: Demo) -> None:
    year = demo.current_year.start_year
    first, last = datetime.date(year, 10, 1), datetime.date(year, 10, 7)
    overlapping = Holiday.objects.filter(
        district=demo.district, start_date__lte=last, end_date__gte=first
    )
    if not overlapping.exists():
        Holiday.objects.create(
            district=demo.district, name="国庆节", start_date=first, end_date=last
        )


def _mentors(school: School, today: datetime.date, ours: set[int]) -> list[Teacher]:
    """Active backbone teachers of the school the demo made, the highest tier first."""
    designations = (
        Designation.objects.current(today)
        .tiers()
        .filter(teacher__school=school, teacher__is_active=True, teacher__in=ours)
        .select_related("teacher")
        .order_by("-tier__level", "teacher__staff_no")
    )
    return list(dict.fromkeys(d.teacher for d in designations))


def _young_teachers(
    school: School, today: datetime.date, exclude: set[int], ours: set[int]
) -> list[Teacher]:
    """Teachers the demo made in their first years (adaptation and stable stages) without a
    designation."""
    since = years_ago(today, school.district.stage_innovation_from)
    return list(
        school.teachers.active()
        .filter(career_start__gt=since, user__isnull=True, designations__isnull=True)
        .filter(pk__in=ours)
        .exclude(pk__in=exclude)
        .order_by("-career_start", "staff_no")
    )


def _pick_apprentice(mentor: Teacher, young: list[Teacher]) -> Teacher | None:
    """A young teacher of the mentor's subject if there is one (they observe each other's
    classes), else the newest one."""
    for teacher in young:
        if teacher.subject == mentor.subject:
            young.remove(teacher)
            return teacher
    return young.pop(0) if young else None


class PairingSeeder:
    def __init__(self, *, demo: Demo, school: School, office: User | None):
        self.demo, self.school, self.office = demo, school, office
        current, previous = demo.current_year, demo.school_years[1]
        if (demo.today - current.start_date).days >= MIN_WEEKS_THIS_YEAR * 7:
            self.start = current.start_date
            self.end = current.end_date
        else:
            self.start = previous.semesters.get(number=2).start_date
            self.end = self.start + datetime.timedelta(days=365)
        self.previous = previous
        self.calendar: Calendar = district_calendar(
            district_id=school.district_id, since=previous.start_date
        )

    def pairing(self, plan: PairingPlan, mentor: Teacher, apprentice: Teacher) -> Pairing:
        start, end = self.start, self.end
        if plan.status == Pairing.Status.COMPLETED:
            start, end = self.previous.start_date, self.previous.end_date
        elif plan.status == Pairing.Status.PROPOSED:
            start = self.demo.today + datetime.timedelta(days=14)
            end = start + datetime.timedelta(days=364)
        approved = plan.status != Pairing.Status.PROPOSED
        starts_at = datetime.datetime.combine(start, datetime.time(9), tzinfo=TZ)
        pairing = Pairing(
            school=self.school,
            mentor=mentor,
            apprentice=apprentice,
            origin=plan.origin,
            status=plan.status,
            start_date=start,
            end_date=end,
            goals=GOALS,
            mentor_duties=MENTOR_DUTIES,
            apprentice_duties=APPRENTICE_DUTIES,
            signed_on=start if approved else None,
            requested_by=apprentice.user or self.office,
            approved_by=self.office if approved else None,
            approved_at=min(starts_at, timezone.now()) if approved else None,
            final_appraisal=APPRAISAL if plan.status == Pairing.Status.COMPLETED else "",
        )
        pairing.full_clean()
        pairing.save()
        return pairing

    # -- observations ----------------------------------------------------------------------
    def teaching_days(self, week: Week) -> list[datetime.date]:
        days = (week.first + datetime.timedelta(days=i) for i in range(7))
        return [d for d in days if d <= week.last and self.calendar.is_teaching_day(d)]

    def observe(self, pairing: Pairing, rng: random.Random, plan: Plan) -> int:
        weeks = pairing_compliance(pairing=pairing, today=self.demo.today).weeks
        finished = [w for w in weeks if w.counts and not w.in_progress]
        created = 0
        for week in weeks:
            days = self.teaching_days(week)
            if not days:
                continue
            if week.in_progress:
                # The current week: a diligent mentor has made a start.
                mentor_share, apprentice_share = (0.5, 0.0) if plan is steady else (0.0, 0.0)
            else:
                mentor_share, apprentice_share = plan(finished.index(week), len(finished))
            for observer, observed, share, required in (
                (pairing.mentor, pairing.apprentice, mentor_share, week.mentor.required),
                (pairing.apprentice, pairing.mentor, apprentice_share, week.apprentice.required),
            ):
                count = round(required * share + 0.01)  # half of 1 is 1: a start was made
                for day in sorted(rng.sample(days, min(count, len(days)))):
                    self.observation(pairing, observer, observed, day, rng)
                    created += 1
        return created

    def observation(self, pairing, observer, observed, day, rng) -> None:
        observation = Observation(
            teacher=observer,
            date=day,
            observed_teacher=observed,
            pairing=pairing,
            subject=observed.subject,
            class_name=(observed.grades.split("、")[0] or "三年级") + f"（{rng.randint(1, 4)}）班",
            notes=NOTES,
            rating=rng.choice([3, 4, 4, 5]),
        )
        record_create_trusted(record=observation, actor=observer.user)
        age = (self.demo.today - day).days
        verified = age > 21 or rng.random() < 0.3
        submitted = self.moment(day, 18)
        fields = {"status": Status.SUBMITTED, "submitted_at": submitted}
        trail = [(AuditEntry.Action.SUBMITTED, observer.user, submitted)]
        if verified and self.office:
            at = self.moment(day, 60)
            fields.update(status=Status.VERIFIED, verified_at=at, verified_by=self.office)
            trail.append((AuditEntry.Action.VERIFIED, self.office, at))
        Record.objects.filter(pk=observation.pk).update(**fields)
        for action, actor, at in trail:
            entry = AuditEntry.objects.create(record_id=observation.pk, actor=actor, action=action)
            AuditEntry.objects.filter(pk=entry.pk).update(at=at)

    def moment(self, day: datetime.date, hours: int) -> datetime.datetime:
        when = datetime.datetime.combine(day, datetime.time(16), tzinfo=TZ)
        return min(when + datetime.timedelta(hours=hours), timezone.now())

    # -- guidance sessions -----------------------------------------------------------------
    def sessions(self, pairing: Pairing, count: int, rng: random.Random) -> None:
        last = min(self.demo.today, pairing.end_date)
        span = max((last - pairing.start_date).days, 1)
        for index, (kind, notes, follow_up, private) in enumerate(SESSIONS[:count]):
            day = pairing.start_date + datetime.timedelta(days=span * (index + 1) // (count + 1))
            logger = pairing.apprentice.user or pairing.mentor.user or self.office
            # The teacher login's latest session still waits for the mentor to confirm it.
            confirmed = index < count - 1 or pairing.apprentice.user_id is None
            GuidanceSession.objects.create(
                pairing=pairing,
                date=day,
                kind=kind,
                notes=notes,
                follow_up=follow_up,
                private=private,
                logged_by=logger,
                confirmed_by=self.office if confirmed else None,
                confirmed_at=self.moment(day, 24) if confirmed else None,
            )


@demo_step
def seed_mentoring(demo: Demo) -> None:
    ensure_national_day(demo)
    school = demo.schools[School.Kind.PRIMARY]
    if Pairing.objects.filter(school=school).exists():
        demo.log(f"{school.name}: mentoring pairings already there")
        return
    login = Teacher.objects.filter(school=school, user__username="teacher").first()
    mentors = _mentors(school, demo.today, demo.teacher_ids)
    if login:
        # The login's mentor: the most senior backbone teacher of the same subject.
        same = [m for m in mentors if m.subject == login.subject][:1]
        mentors = same + [m for m in mentors if m not in same]
    exclude = {t.pk for t in mentors} | ({login.pk} if login else set())
    young = _young_teachers(school, demo.today, exclude, demo.teacher_ids)
    seeder = PairingSeeder(
        demo=demo, school=school, office=User.objects.filter(username="office").first()
    )
    created = observations = 0
    for index, (plan, mentor) in enumerate(zip(PAIRING_PLANS, mentors, strict=False)):
        apprentice = login if index == 0 and login else _pick_apprentice(mentor, young)
        if apprentice is None:
            break
        pairing = seeder.pairing(plan, mentor, apprentice)
        rng = random.Random(f"mentoring-{mentor.staff_no}-{apprentice.staff_no}")
        if plan.status != Pairing.Status.PROPOSED:
            observations += seeder.observe(pairing, rng, plan.plan)
            seeder.sessions(pairing, plan.sessions, rng)
        created += 1
    demo.log(f"{school.name}: {created} mentoring pairings, {observations} observations")
