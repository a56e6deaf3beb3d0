"""The demo roster (`manage.py seed_demo`): about 150 teachers for the demo schools, built
from the schools' plans with a fixed random seed, and the teacher login."""

import datetime
import random

from django.core.management.base import CommandError

from core.demo import (
    DEMO_SEED,
    SCHOOL_PLANS,
    Demo,
    GroupPlan,
    SchoolPlan,
    demo_step,
    ensure_role,
    ensure_user,
)
from core.models import District, Role, School, TeachingGroup, User

from .models import Education, Gender, Post, Teacher, Title
from .stages import GrowthStage, career_start_range, stage_bounds

# -- teachers ---------------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶"
    "程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛"
)
# The most common surnames first and more often, as on a real staff list.
SURNAME_WEIGHTS = [12 if i < 5 else 5 if i < 20 else 2 for i in range(len(SURNAMES))]
FEMALE_CHARS = "丽静敏燕艳娟霞芳娜丹玲萍红玉兰英慧颖琳倩雪梅琴云洁婷佳欣悦怡晶莉蓉薇秀"
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳峰建国志文东"
SHARED_CHARS = "晓海新春思嘉子雨一小文亚晨"
MOBILE_PREFIXES = ("139", "138", "137", "136", "135", "158", "159", "186", "188", "150", "177")

# Share of teachers per growth stage (after one of each, so every stage has teachers).
STAGE_WEIGHTS = {
    GrowthStage.ADAPTATION: 10,
    GrowthStage.STABLE: 15,
    GrowthStage.INNOVATION: 12,
    GrowthStage.YOUNG_BACKBONE: 28,
    GrowthStage.EXCELLENCE: 35,
}
MAX_YEARS_OF_TEACHING = 35
OLDEST_AGE, YOUNGEST_AGE = 61, 24  # born 1965–2002 in the 2026–2027 school year


def chinese_name(rng: random.Random, gender: str) -> str:
    own = FEMALE_CHARS if gender == Gender.FEMALE else MALE_CHARS
    pool = own * 3 + SHARED_CHARS
    given = rng.choice(own) if rng.random() < 0.35 else rng.choice(pool) + rng.choice(own)
    return rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + given


def years_for_stage(rng: random.Random, stage: str, district: District) -> int:
    for name, low, high in stage_bounds(district):
        if name == stage:
            return rng.randint(low, (high or MAX_YEARS_OF_TEACHING + 1) - 1)
    raise ValueError(stage)


# Weights for 中专, 大专, 本科, 硕士, 博士: older teachers often came from normal schools (中专)
# and colleges (大专); kindergartens hire fewer graduates than schools.
EDUCATION_WEIGHTS = {
    (False, False): [2, 15, 63, 17, 3],
    (False, True): [10, 35, 50, 5, 0],
    (True, False): [5, 35, 55, 5, 0],
    (True, True): [20, 50, 30, 0, 0],
}


def education_for(rng: random.Random, years: int, kind: str) -> int:
    weights = EDUCATION_WEIGHTS[kind == School.Kind.KINDERGARTEN, years >= 20]
    return rng.choices(Education.values, weights)[0]


def title_for(rng: random.Random, years: int, education: int) -> int:
    if years < 2:
        return Title.NONE
    if years < 5:
        return Title.SECOND if education >= Education.BACHELOR else Title.THIRD
    if years < 10:
        early = education >= Education.MASTER or (years >= 7 and rng.random() < 0.6)
        return Title.FIRST if early else Title.SECOND
    if years < 20:
        return Title.FIRST if rng.random() < 0.85 else Title.SECOND
    return Title.SENIOR if rng.random() < 0.6 else Title.FIRST


def start_age_for(rng: random.Random, education: int) -> int:
    if education >= Education.MASTER:
        return 24
    if education == Education.BACHELOR:
        return rng.randint(22, 23)
    return rng.randint(21, 22)


def grades_for(rng: random.Random, group: GroupPlan) -> str:
    count = min(group.grades_each, len(group.grades))
    first = rng.randrange(len(group.grades) - count + 1)
    return "、".join(group.grades[first : first + count])


def email_for(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"{rng.randint(10**7, 10**10)}@qq.com"
    return f"gl{rng.randint(1000, 99999)}@163.com"


class RosterBuilder:
    """Builds one school's roster from its plan, deterministically."""

    def __init__(
        self,
        *,
        plan: SchoolPlan,
        school: School,
        groups: dict[str, TeachingGroup],
        current_year: int,
    ):
        self.plan, self.school, self.groups = plan, school, groups
        self.year = current_year  # the current school year, which the ages refer to
        self.rng = random.Random(f"{DEMO_SEED}-{plan.code}")
        self.names: set[str] = set()
        self.phones: set[str] = set()

    def build(self) -> list[Teacher]:
        teachers = []
        for group in self.plan.groups:
            for _ in range(group.size):
                # The first teachers cover every stage; the rest follow STAGE_WEIGHTS.
                stage = (
                    GrowthStage.values[len(teachers)]
                    if len(teachers) < len(GrowthStage.values)
                    else self.rng.choices(list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values()))[0]
                )
                teachers.append(self.teacher(len(teachers) + 1, group, stage))
        self.mark_leavers(teachers)
        self.assign_posts(teachers)
        return teachers

    def teacher(self, number: int, group: GroupPlan, stage: str) -> Teacher:
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < self.plan.female_share else Gender.MALE
        years = years_for_stage(rng, stage, self.school.district)
        education = education_for(rng, years, self.plan.kind)
        start_year = self.year - years
        # Keep birth dates within the staff's age range even for the newest teachers.
        age = min(max(start_age_for(rng, education), YOUNGEST_AGE - years), OLDEST_AGE - years)
        subject = rng.choice(group.subjects)
        teaches_class = rng.random() < group.class_teacher_share
        return Teacher(
            school=self.school,
            staff_no=f"{self.plan.staff_prefix}{number:04d}",
            name=self.unique_name(gender),
            gender=gender,
            birth_date=datetime.date(start_year - age, rng.randint(1, 12), rng.randint(1, 28)),
            career_start=datetime.date(start_year, 9, 1),
            education=education,
            title=title_for(rng, years, education),
            subject=subject,
            grades=grades_for(rng, group),
            group=self.groups[group.name],
            posts=[Post.CLASS_TEACHER] if teaches_class else [],
            phone=self.unique_phone(),
            email=email_for(rng) if rng.random() < 0.4 else "",
        )

    def unique_name(self, gender: str) -> str:
        name = chinese_name(self.rng, gender)
        while name in self.names:
            name = chinese_name(self.rng, gender)
        self.names.add(name)
        return name

    def unique_phone(self) -> str:
        phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
        while phone in self.phones:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
        self.phones.add(phone)
        return phone

    def mark_leavers(self, teachers: list[Teacher]) -> None:
        # Not the teachers that cover the stages, and nobody who left in their first years.
        candidates = [t for t in teachers[len(GrowthStage.values) :] if self.years(t) >= 2]
        for teacher in self.rng.sample(candidates, self.plan.leavers):
            teacher.is_active = False
            teacher.left_on = datetime.date(self.year - self.rng.randint(0, 1), 7, 15)
            teacher.posts = []

    def assign_posts(self, teachers: list[Teacher]) -> None:
        active = [t for t in teachers if t.is_active]
        for group in self.plan.groups:
            members = [t for t in active if t.group.name == group.name]
            if members:
                head = max(members, key=lambda t: (t.title, self.years(t)))
                head.posts.append(Post.GROUP_HEAD)
        for grades in self.plan.grade_groups.values():
            class_teachers = [
                t
                for t in active
                if Post.CLASS_TEACHER in t.posts
                and self.years(t) >= 5
                and any(g in t.grades for g in grades)
                and Post.GRADE_HEAD not in t.posts
            ]
            if class_teachers:
                self.rng.choice(class_teachers).posts.append(Post.GRADE_HEAD)
        seniors = [t for t in active if t.title >= Title.FIRST]
        for teacher in self.rng.sample(seniors, self.plan.middle_managers):
            teacher.posts.append(Post.MIDDLE_MANAGER)
        self.give_professor_title(active)

    def give_professor_title(self, active: list[Teacher]) -> None:
        """One 正高级 teacher each at the primary and the middle school."""
        if self.plan.kind == School.Kind.KINDERGARTEN:
            return
        veterans = [t for t in active if t.title == Title.SENIOR and self.years(t) >= 25]
        if veterans:
            max(veterans, key=self.years).title = Title.PROFESSOR

    def years(self, teacher: Teacher) -> int:
        return self.year - teacher.career_start.year


@demo_step
def seed_teachers(demo: Demo) -> None:
    for plan in SCHOOL_PLANS:
        school = demo.schools[plan.kind]
        groups = {g.name: g for g in school.groups.filter(kind=TeachingGroup.Kind.RESEARCH)}
        roster = RosterBuilder(
            plan=plan, school=school, groups=groups, current_year=demo.current_year.start_year
        )
        existing = dict(school.teachers.values_list("staff_no", "name"))
        planned = roster.build()
        new = [t for t in planned if t.staff_no not in existing]
        Teacher.objects.bulk_create(new)
        # The demo's own: its staff numbers with the names it gave them (a user who took one
        # of these numbers for someone else keeps that teacher to themselves).
        ours = {t.staff_no for t in planned if existing.get(t.staff_no, t.name) == t.name}
        demo.teacher_ids |= set(
            school.teachers.filter(staff_no__in=ours).values_list("pk", flat=True)
        )
        demo.log(f"{school.name}: {len(new)} teachers created, {len(existing)} already there")


def backbone_aged_teacher(
    school: School, today: datetime.date, among: set[int] | None = None
) -> Teacher | None:
    """An active teacher in the young-backbone stage who meets the usual eligibility rules
    (only one of `among`, the ids of the demo's own teachers, when given)."""
    after, until = career_start_range(GrowthStage.YOUNG_BACKBONE, school.district, today)
    teachers = school.teachers.active()
    if among is not None:
        teachers = teachers.filter(pk__in=among)
    return (
        teachers.filter(
            user__isnull=True,
            career_start__gt=after,
            career_start__lte=until,
            education__gte=Education.BACHELOR,
            title__gte=Title.FIRST,
        )
        .order_by("staff_no")
        .first()
    )


@demo_step
def seed_teacher_login(demo: Demo) -> None:
    school = demo.schools[School.Kind.PRIMARY]
    existing = User.objects.filter(username="teacher").first()
    teacher = Teacher.objects.filter(user=existing).first() if existing else None
    teacher = teacher or backbone_aged_teacher(school, demo.today, demo.teacher_ids)
    if teacher is None:
        raise CommandError(f"{school.name} has no backbone-aged teacher for the teacher login.")
    user = ensure_user("teacher", display_name=teacher.name, email=teacher.email)
    if teacher.user_id is None:
        teacher.user = user
        teacher.save(update_fields=["user", "updated_at"])
    ensure_role(user, Role.TEACHER, school=school, district=None)
    demo.add_login(user, Role.TEACHER, school)
