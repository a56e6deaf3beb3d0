"""The organiser's new pages of issue 14 (exemptions from school-based hours, ...) at desk
and phone width, in both languages: they render without console errors or failed requests,
and nothing overflows sideways."""

import pytest
from django.utils import timezone

from core.models import Role, school_year_start
from records.models import HoursExemption
from tests.factories import (
    SchoolFactory,
    SchoolYearFactory,
    TeacherFactory,
    TrainingFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = [1280, 390]


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} overflows by {overflow}px"


def _look(session, path: str, label: str) -> None:
    for width in WIDTHS:
        session.page.set_viewport_size({"width": width, "height": 900})
        session.goto(path)
        _no_sideways_scroll(session.page)
        session.shot(f"{label}-{width}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_exemptions_page_at_desk_and_phone_width(open_session, language):
    year = school_year_start(timezone.localdate())
    school = SchoolFactory(code="GLXX02", name="鼓楼区实验小学")
    SchoolYearFactory(district=school.district, start_year=year)
    user_with_role(Role.TRAINING_OFFICE, school=school, username="office", language=language)
    for i, reason in enumerate(["赴华东师范大学脱产进修一学年", "援疆支教（长周期）", "挂职锻炼"]):
        teacher = TeacherFactory(school=school, name=f"教师{i}", staff_no=f"T{i:03}")
        TrainingFactory(teacher=teacher, status="verified", hours=40 + i, year=year)
        HoursExemption.objects.create(teacher=teacher, year=year, reason=reason)
    office = open_session(language, name=f"train-a-{language}-office")
    office.login("office")
    _look(office, "/records/exemptions/", "exemptions")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_round_page_with_register_absences_and_an_override(open_session, language):
    import datetime
    from decimal import Decimal

    from assessment.services import rounds
    from tests.factories import DesignationFactory
    from training.ledger import attendance_record
    from training.models import Enrolment, Programme, Session

    school = SchoolFactory(code="GLXX03", name="鼓楼区实验小学", language=language)
    principal = user_with_role(Role.PRINCIPAL, school=school, username="head", language=language)
    committee = user_with_role(Role.COMMITTEE, school=school, username="judge")
    programme = Programme.objects.create(
        school=school, district=school.district, title="校本研修", kind="school_based",
        start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2026, 8, 31),
        hours_per_session=Decimal(3),
    )  # fmt: skip
    session = Session.objects.create(
        programme=programme, date=datetime.date(2025, 10, 14), starts_at=datetime.time(14),
        ends_at=datetime.time(16), theme="作业设计专题研修", content="内容", speaker_name="专家",
        hours=Decimal(3), published_at=timezone.now(),
    )  # fmt: skip
    for i in range(3):
        teacher = TeacherFactory(school=school, staff_no=f"B{i}", name=f"骨干教师{i}")
        DesignationFactory(teacher=teacher, first_year=2025, last_year=2028)
        Enrolment.objects.create(programme=programme, teacher=teacher, origin="named")
        attendance_record(
            session=session, teacher=teacher, status="absent" if i < 2 else "present",
            method="register", by=principal,
        )  # fmt: skip
    round = rounds.round_open(
        school=school, kind="annual", year=2025, semester=None, title="2025学年骨干教师年度考核",
        committee=[committee], by=principal,
    )  # fmt: skip
    entry = round.entries.get(teacher__staff_no="B1")
    rounds.entry_set_absence(
        entry=entry, absent=False, reason="当天在市里执教公开课，已报备", by=principal
    )
    head = open_session(language, name=f"train-a-{language}-round")
    head.login("head")
    _look(head, f"/assessment/rounds/{round.pk}/", "round-absences")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_applying_from_my_training_and_the_organisers_list(open_session, language):
    import datetime
    from decimal import Decimal

    from training.applications import application_submit
    from training.models import Programme

    year = school_year_start(timezone.localdate())
    school = SchoolFactory(code="GLXX04", name="鼓楼区实验小学", language=language)
    SchoolYearFactory(district=school.district, start_year=year)
    user_with_role(Role.TRAINING_OFFICE, school=school, username="office", language=language)
    li = user_with_role(Role.TEACHER, school=school, username="li", language=language)
    TeacherFactory(school=school, user=li, name="李明", staff_no="L001")
    period = {"start_date": datetime.date(year, 9, 1), "end_date": datetime.date(year + 1, 8, 31)}
    reading = Programme.objects.create(
        school=school, district=school.district, title="2026学年青年教师读书班",
        kind="reading_class", hours_per_session=Decimal(2), open_for_application=True,
        capacity=30, **period,
    )  # fmt: skip
    Programme.objects.create(
        school=school, district=school.district, title="信息技术与学科融合沙龙",
        kind="salon", hours_per_session=Decimal(2), open_for_application=True, **period,
    )  # fmt: skip
    for i, note in enumerate(["希望提高阅读指导能力", "", "去年因外出学习未能参加，今年想报名"]):
        teacher = TeacherFactory(school=school, name=f"王老师{i}", staff_no=f"W{i:03}")
        application_submit(programme=reading, teacher=teacher, note=note)

    phone = open_session(language, name=f"train-a-{language}-apply")
    phone.login("li")
    page = phone.goto("/training/mine/")
    page.fill(f"#note-{reading.pk}", "想系统学习整本书阅读教学")
    page.locator(f"form[action$='/{reading.pk}/apply/'] [type=submit]").click()
    page.wait_for_selector(".alert-success")
    _look(phone, "/training/mine/", "mine-applied")

    office = open_session(language, name=f"train-a-{language}-applications")
    office.login("office")
    _look(office, f"/training/{reading.pk}/", "programme-applications")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_training_calendar_and_the_reminder_on_the_home_page(open_session, language):
    import datetime
    from decimal import Decimal

    from training.models import Enrolment, Programme, Session
    from training.reminders import reminders_send

    today = timezone.localdate()
    year = school_year_start(today)
    school = SchoolFactory(code="GLXX05", name="鼓楼区实验小学", language=language)
    SchoolYearFactory(district=school.district, start_year=year)
    user_with_role(Role.TRAINING_OFFICE, school=school, username="office", language=language)
    li = user_with_role(Role.TEACHER, school=school, username="li", language=language)
    teacher = TeacherFactory(school=school, user=li, name="李明", staff_no="L001")
    programme = Programme.objects.create(
        school=school, district=school.district, title="新课标校本研修",
        kind="school_based", hours_per_session=Decimal(3),
        start_date=datetime.date(year, 9, 1), end_date=datetime.date(year + 1, 8, 31),
    )  # fmt: skip
    Enrolment.objects.create(programme=programme, teacher=teacher, origin="named")
    first = today.replace(day=1)
    for i, theme in enumerate(["大单元教学设计与实施", "作业设计专题研修", "课堂观察与评课"]):
        Session.objects.create(
            programme=programme, date=first + datetime.timedelta(days=3 + 7 * i),
            starts_at=datetime.time(14), ends_at=datetime.time(16, 30), theme=theme,
            content="内容", speaker_name="王教授", place="三楼报告厅", hours=Decimal(3),
            published_at=timezone.now(),
        )  # fmt: skip
    Session.objects.create(
        programme=programme, date=today + datetime.timedelta(days=1), starts_at=datetime.time(15),
        ends_at=datetime.time(17), theme="整本书阅读教学", content="内容", speaker_name="张老师",
        place="录播教室", hours=Decimal(2), published_at=timezone.now(),
    )  # fmt: skip
    reminders_send(today=today)
    office = open_session(language, name=f"train-a-{language}-calendar")
    office.login("office")
    _look(office, "/training/calendar/", "calendar-office")
    phone = open_session(language, name=f"train-a-{language}-reminder")
    phone.login("li")
    _look(phone, "/", "home-reminder")
    _look(phone, "/training/calendar/", "calendar-teacher")
