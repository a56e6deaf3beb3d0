"""Allowances (待遇) in the browser: the principal reads the district's default rate and sets
the school's own for the tier, opens the month's allowance sheet (a teacher whose designation
was revoked last month is not on it), marks the month paid on a date, downloads the workbook
for the finance office, and the teacher reads the payment on their own page on a phone."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from backbone.models import school_year_start
from backbone.services.designations import designation_record, designation_revoke
from core.models import Role
from recognition.models import AllowancePayment, Rate
from recognition.services import rate_set
from tests.factories import SchoolFactory, SchoolYearFactory, TeacherFactory, tier, user_with_role

from .accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def phone_shot(session, label, *, check=True):
    """The page at 390 px: kept as a screenshot, no sideways scrolling, and (the menu folded
    away, as tests/browser/test_accessibility.py reads pages) no accessibility violation."""
    session.page.set_viewport_size({"width": 390, "height": 844})
    session.shot(f"{label}-390")
    assert_no_sideways_scroll(session, label)
    if check:
        assert_accessible(session, label)
    session.page.set_viewport_size({"width": 1280, "height": 900})


def assert_no_sideways_scroll(session, label):
    width = session.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"{label}: the page is {width} px wide at 390 px"


@pytest.fixture
def world():
    today = timezone.localdate()
    this_month = month_start(today)
    year = school_year_start(today) - 1  # a term that began last school year and runs on
    school = SchoolFactory(code="GLXX02", name="鼓楼第二实验小学")
    district = school.district
    SchoolYearFactory(district=district, start_year=year)
    SchoolYearFactory(district=district, start_year=year + 1)
    office = user_with_role(Role.DISTRICT_OFFICE, district=district, username="qu")
    principal = user_with_role(Role.PRINCIPAL, school=school, username="xiaozhang")
    teacher_user = user_with_role(Role.TEACHER, school=school, username="wangfang")
    wang = TeacherFactory(school=school, user=teacher_user, name="王芳", staff_no="T001")
    liu = TeacherFactory(school=school, name="刘洋", staff_no="T002")
    rate_set(
        district=district, kind=Rate.Kind.ALLOWANCE, tier=tier(district, "school"),
        amount=Decimal(20), valid_from=datetime.date(year, 9, 1), by=office,
    )  # fmt: skip
    designated_on = datetime.date(year, 9, 1)
    for teacher in (wang, liu):
        designation_record(
            teacher=teacher, tier=tier(district, "school"), designated_by=school.name,
            first_year=year, last_year=year + 1, source="round", by=principal,
            today=designated_on,
        )  # fmt: skip
    # Revoked during last month: no allowance from this month on.
    designation_revoke(
        designation=liu.designations.get(),
        reason="年度考核不合格",
        by=principal,
        today=this_month - datetime.timedelta(days=10),
    )
    return {"school": school, "wang": wang, "liu": liu, "today": today, "month": this_month}


def test_the_principal_sets_the_rate_pays_the_month_and_the_teacher_sees_it(
    open_session, world, jobs_in_thread
):
    school, month, today = world["school"], world["month"], world["today"]
    principal = open_session("zh-hans", name="allowance-principal")
    principal.login("xiaozhang")

    # The district's default for the school tier is in force.
    page = principal.goto("/recognition/rates/")
    rates = page.locator("#rates")
    assert "区县默认" in rates.inner_text()
    assert "20.00" in rates.inner_text()
    principal.shot("rates-district-default")
    phone_shot(principal, "rates")

    # The school sets its own amount from this month on.
    page.locator("a[href$='/recognition/rates/new/']").click()
    page.wait_for_url("**/recognition/rates/new/")
    page.select_option("select[name=applies_to]", f"school={school.pk}")
    page.select_option("select[name=kind]", "allowance")
    page.select_option("select[name=tier]", str(tier(school.district, "school").pk))
    page.fill("input[name=amount]", "30")
    page.fill("input[name=valid_from]", month.strftime("%Y-%m"))
    principal.shot("rate-form")
    phone_shot(principal, "rate-form")
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/recognition/rates/")
    assert Rate.objects.get(school=school).amount == Decimal(30)
    assert "鼓楼第二实验小学" in page.locator("#rates").inner_text()

    # This month's sheet: 王芳 at the school's amount, 刘洋 gone since the revocation.
    page = principal.goto(f"/recognition/allowances/?school={school.pk}")
    table = page.locator("#allowance-sheet").inner_text()
    assert "王芳" in table and "30.00" in table and "刘洋" not in table
    principal.shot("sheet")
    phone_shot(principal, "sheet")
    # Last month 刘洋 still held the tier on its first day.
    previous = (month - datetime.timedelta(days=1)).strftime("%Y-%m")
    page = principal.goto(f"/recognition/allowances/?school={school.pk}&month={previous}")
    assert "刘洋" in page.locator("#allowance-sheet").inner_text()

    # Mark this month paid on today's date.
    page = principal.goto(f"/recognition/allowances/?school={school.pk}")
    page.fill("#id_paid_on", today.isoformat())
    page.locator("form[action$='/allowances/pay/'] [type=submit]").click()
    page.wait_for_selector(".alert-success")
    payment = AllowancePayment.objects.get(month=month)
    assert (payment.teacher, payment.amount, payment.paid_on) == (world["wang"], 30, today)
    table = page.locator("#allowance-sheet").inner_text()
    assert today.isoformat() in table
    principal.shot("sheet-paid")
    phone_shot(principal, "sheet-paid")

    # The workbook for the finance office.
    page.locator("form[action$='/allowances/export/'] [type=submit]").click()
    data = principal.job_file("sheet-export")
    workbook = load_workbook(io.BytesIO(data))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    header, lines = rows[0], rows[1:]
    assert "姓名" in header and len(lines) == 1
    line = dict(zip(header, lines[0], strict=True))
    assert line["姓名"] == "王芳" and line["工号"] == "T001"
    assert Decimal(str(line["金额（元）"])) == Decimal(30)
    assert line["月份"] == month.strftime("%Y-%m")

    # The teacher reads the payment on their page, on a phone.
    teacher = open_session("zh-hans", name="allowance-teacher")
    teacher.page.set_viewport_size({"width": 390, "height": 844})
    teacher.login("wangfang")
    page = teacher.goto("/teachers/me/")
    history = page.locator("#allowance-history").inner_text()
    assert month.strftime("%Y-%m") in history and today.isoformat() in history
    assert "30.00" in history
    page.locator("#allowance-history").scroll_into_view_if_needed()
    teacher.shot("teacher-history-390")
    assert_no_sideways_scroll(teacher, "teacher page")
    assert_accessible(teacher, "teacher page")
    teacher.page.set_viewport_size({"width": 1280, "height": 900})
    teacher.shot("teacher-history")
