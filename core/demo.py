"""Demo data for a trial installation (`manage.py seed_demo`).

`seed_demo_data()` runs the registered steps in order on one shared `Demo` context. Each step
is idempotent: it looks rows up by their natural keys and creates only what is missing, so
running the command again changes nothing. Steps touch only what the demo made itself
(`Demo.teacher_ids`): rows users made are never given invented grades or records. The data
is built with a fixed random seed, so every run (and every machine) gets the same teachers.

Other apps add their own steps in a `demo.py` module of their own, which `seed_demo_data()`
imports (like admin.py); steps run in the order of INSTALLED_APPS, core's first::

    from core.demo import Demo, demo_step

    @demo_step
    def seed_backbone_tiers(demo: Demo) -> None:
        ...  # demo.district, demo.schools["primary"], demo.current_year, demo.add_login(...)
"""

import datetime
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import (
    City,
    District,
    Role,
    RoleAssignment,
    School,
    SchoolYear,
    Semester,
    TeachingGroup,
    User,
    school_year_start,
)

DEMO_PASSWORD = "gugan2026"
DEMO_SEED = 20260901


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # a Role value, or "superuser"
    school: School | None = None


@dataclass
class Demo:
    """What the steps share: the organisations made so far and the logins to print."""

    today: datetime.date
    log: Callable[[str], None] = lambda message: None
    city: City | None = None
    district: District | None = None
    schools: dict[str, School] = field(default_factory=dict)  # by School.Kind
    school_years: list[SchoolYear] = field(default_factory=list)  # current first
    logins: list[DemoLogin] = field(default_factory=list)
    # The teachers the demo made itself (ids). Later steps give grades, records, designations
    # and pairings only to them: a teacher a user added is never given invented data.
    teacher_ids: set[int] = field(default_factory=set)

    @property
    def current_year(self) -> SchoolYear:
        return self.school_years[0]

    def add_login(self, user: User, role: str, school: School | None = None) -> None:
        self.logins.append(DemoLogin(user.username, role, school))


DemoStep = Callable[[Demo], None]
DEMO_STEPS: list[DemoStep] = []


def demo_step(step: DemoStep) -> DemoStep:
    """Register a seeding step; it runs after the steps registered before it."""
    if step not in DEMO_STEPS:
        DEMO_STEPS.append(step)
    return step


def _in_app_order(steps: list[DemoStep]) -> list[DemoStep]:
    """The steps in the order of INSTALLED_APPS, each app's in the order it registered them:
    a demo module imported early (by a test, say) must not run before the steps it needs."""
    position = {config: n for n, config in enumerate(apps.get_app_configs())}
    return sorted(steps, key=lambda step: position[apps.get_containing_app_config(step.__module__)])


@transaction.atomic
def seed_demo_data(*, log: Callable[[str], None] | None = None) -> Demo:
    autodiscover_modules("demo")
    demo = Demo(today=timezone.localdate(), log=log or (lambda message: None))
    for step in _in_app_order(DEMO_STEPS):
        step(demo)
    seed_admin(demo)  # last, after every app's logins, as the table of logins ends with it
    return demo


# -- organisations ----------------------------------------------------------------------------

PRIMARY_GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级")
MIDDLE_GRADES = ("七年级", "八年级", "九年级")
KINDERGARTEN_GRADES = ("小班", "中班", "大班")


@dataclass(frozen=True)
class GroupPlan:
    """A teaching-research group: how many teachers, what they teach, how many lead a class."""

    name: str
    size: int
    subjects: tuple[str, ...]
    grades: tuple[str, ...]
    grades_each: int = 1  # grades one teacher teaches
    class_teacher_share: float = 0.0


@dataclass(frozen=True)
class SchoolPlan:
    kind: str
    code: str
    name: str
    staff_prefix: str
    female_share: float
    groups: tuple[GroupPlan, ...]
    grade_groups: dict[str, tuple[str, ...]]  # grade group name -> the grades it covers
    leavers: int
    middle_managers: int


P, M, K = PRIMARY_GRADES, MIDDLE_GRADES, KINDERGARTEN_GRADES

SCHOOL_PLANS = (
    SchoolPlan(
        kind=School.Kind.PRIMARY,
        code="GLXX01",
        name="鼓楼区实验小学",
        staff_prefix="X",
        female_share=0.78,
        groups=(
            GroupPlan("语文组", 18, ("语文",), P, class_teacher_share=0.7),
            GroupPlan("数学组", 15, ("数学",), P, class_teacher_share=0.5),
            GroupPlan("英语组", 8, ("英语",), P[2:], 2, class_teacher_share=0.15),
            GroupPlan("科学组", 6, ("科学",), P, 2),
            GroupPlan("艺体组", 10, ("音乐", "美术", "体育"), P, 3),
            GroupPlan("综合组", 8, ("道德与法治", "信息科技", "劳动", "心理健康"), P, 3),
        ),
        grade_groups={"低年级组": P[:2], "中年级组": P[2:4], "高年级组": P[4:]},
        leavers=3,
        middle_managers=3,
    ),
    SchoolPlan(
        kind=School.Kind.MIDDLE,
        code="GLZX01",
        name="鼓楼区第一中学",
        staff_prefix="Z",
        female_share=0.6,
        groups=(
            GroupPlan("语文组", 9, ("语文",), M, class_teacher_share=0.5),
            GroupPlan("数学组", 9, ("数学",), M, class_teacher_share=0.5),
            GroupPlan("英语组", 9, ("英语",), M, class_teacher_share=0.4),
            GroupPlan("物理组", 6, ("物理",), M[1:], class_teacher_share=0.3),
            GroupPlan("化学组", 5, ("化学",), M[2:], class_teacher_share=0.2),
            GroupPlan("生物组", 4, ("生物学",), M[:2], 2, class_teacher_share=0.2),
            GroupPlan("政史地组", 7, ("道德与法治", "历史", "地理"), M, 2, class_teacher_share=0.2),
            GroupPlan("艺体组", 6, ("音乐", "美术", "体育与健康"), M, 3),
        ),
        grade_groups={"七年级组": M[:1], "八年级组": M[1:2], "九年级组": M[2:]},
        leavers=2,
        middle_managers=3,
    ),
    SchoolPlan(
        kind=School.Kind.KINDERGARTEN,
        code="GLYE01",
        name="鼓楼区机关幼儿园",
        staff_prefix="Y",
        female_share=0.96,
        groups=(
            GroupPlan("小班组", 8, ("学前教育",), K[:1], class_teacher_share=0.75),
            GroupPlan("中班组", 8, ("学前教育",), K[1:2], class_teacher_share=0.75),
            GroupPlan("大班组", 8, ("学前教育",), K[2:], class_teacher_share=0.75),
            GroupPlan("艺术组", 6, ("音乐", "美术", "舞蹈"), K, 3),
        ),
        grade_groups={},
        leavers=1,
        middle_managers=1,
    ),
)


@demo_step
def seed_district(demo: Demo) -> None:
    demo.city, _ = City.objects.get_or_create(code="FZ", defaults={"name": "福州市教育局"})
    demo.district, _ = District.objects.get_or_create(
        code="GL", defaults={"name": "鼓楼区教育局", "city": demo.city}
    )
    if demo.district.city_id is None:  # a demo database seeded before there were cities
        demo.district.city = demo.city
        demo.district.save(update_fields=["city"])


@demo_step
def seed_schools(demo: Demo) -> None:
    for plan in SCHOOL_PLANS:
        school, _ = School.objects.get_or_create(
            code=plan.code,
            defaults={"district": demo.district, "name": plan.name, "kind": plan.kind},
        )
        demo.schools[plan.kind] = school
        for group in plan.groups:
            TeachingGroup.objects.get_or_create(
                school=school, kind=TeachingGroup.Kind.RESEARCH, name=group.name
            )
        for name in plan.grade_groups:
            TeachingGroup.objects.get_or_create(
                school=school, kind=TeachingGroup.Kind.GRADE, name=name
            )


@demo_step
def seed_school_years(demo: Demo) -> None:
    current = school_year_start(demo.today)
    demo.school_years = [ensure_school_year(demo.district, y) for y in (current, current - 1)]


def ensure_school_year(district: District, start_year: int) -> SchoolYear:
    year, _ = SchoolYear.objects.get_or_create(
        district=district,
        start_year=start_year,
        defaults={
            "start_date": datetime.date(start_year, 9, 1),
            "end_date": datetime.date(start_year + 1, 8, 31),
        },
    )
    semesters = {
        1: (datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 1, 20)),
        2: (datetime.date(start_year + 1, 2, 20), datetime.date(start_year + 1, 7, 10)),
    }
    for number, (start, end) in semesters.items():
        Semester.objects.get_or_create(
            school_year=year, number=number, defaults={"start_date": start, "end_date": end}
        )
    return year


# -- logins ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginPlan:
    username: str
    role: str
    school_kind: str | None  # None: the district (or city) office
    display_name: str


STAFF_LOGINS = (
    LoginPlan("city", Role.CITY_OFFICE, None, "福州市教育局师训处"),
    LoginPlan("district", Role.DISTRICT_OFFICE, None, "鼓楼区师训办"),
    LoginPlan("principal", Role.PRINCIPAL, School.Kind.PRIMARY, "王校长"),
    LoginPlan("office", Role.TRAINING_OFFICE, School.Kind.PRIMARY, "李主任（教科室）"),
    LoginPlan("committee", Role.COMMITTEE, School.Kind.PRIMARY, "陈老师（评审小组）"),
    LoginPlan("principal2", Role.PRINCIPAL, School.Kind.MIDDLE, "刘校长"),
)


def ensure_user(username: str, *, display_name: str, **extra) -> User:
    """The demo login, created with the demo password; an existing one is left as it is."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def ensure_role(
    user: User,
    role: str,
    *,
    school: School | None,
    district: District | None,
    city: City | None = None,
):
    if role == Role.CITY_OFFICE:
        RoleAssignment.objects.get_or_create(user=user, role=role, city=city)
    elif role == Role.DISTRICT_OFFICE:
        RoleAssignment.objects.get_or_create(user=user, role=role, district=district)
    else:
        RoleAssignment.objects.get_or_create(user=user, role=role, school=school)


@demo_step
def seed_staff_logins(demo: Demo) -> None:
    for plan in STAFF_LOGINS:
        school = demo.schools[plan.school_kind] if plan.school_kind else None
        user = ensure_user(plan.username, display_name=plan.display_name)
        ensure_role(user, plan.role, school=school, district=demo.district, city=demo.city)
        demo.add_login(user, plan.role, school)


def seed_admin(demo: Demo) -> None:
    user = ensure_user("admin", display_name="系统管理员", is_staff=True, is_superuser=True)
    demo.add_login(user, "superuser")


# -- the summary table ---------------------------------------------------------------------------


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(rows: Iterable[Iterable[str]]) -> str:
    """Rows as aligned columns, counting Chinese characters as two columns wide."""
    rows = [list(map(str, row)) for row in rows]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell + " " * (w - display_width(cell)) for cell, w in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    )
