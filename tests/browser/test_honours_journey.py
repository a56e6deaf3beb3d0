"""Honours (评优评先) in the browser: the principal proposes the list of last school year, reads
each candidate's reasons drawn from the annual grade, the duties and the verified outcomes,
keeps one on the list with an honour, confirms and prints the commendation (its PDF names the
teacher and the school); the district office reads the confirmed list in English."""

import datetime
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone

from backbone.models import school_year_start
from core.models import Role
from honours.models import HonourList
from tests.factories import (
    AnnualGradeFactory,
    DesignationFactory,
    OpenClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    TeacherFactory,
    tier,
    user_with_role,
)

from .accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def phone_shot(session, label):
    session.page.set_viewport_size({"width": 390, "height": 844})
    session.shot(f"{label}-390")
    width = session.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"{label}: the page is {width} px wide at 390 px"
    assert_accessible(session, label)
    session.page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def world():
    year = school_year_start(timezone.localdate()) - 1
    school = SchoolFactory(code="GLZX03", name="鼓楼第三中学")
    SchoolYearFactory(district=school.district, start_year=year)
    user_with_role(Role.PRINCIPAL, school=school, username="xiaozhang")
    user_with_role(Role.DISTRICT_OFFICE, district=school.district, username="qu")
    star = TeacherFactory(school=school, staff_no="T01", name="林晓梅", subject="数学")
    AnnualGradeFactory(teacher=star, year=year, grade=4)
    DesignationFactory(teacher=star, tier=tier(school.district, "district"), first_year=year)
    achiever = TeacherFactory(school=school, staff_no="T02", name="陈志远", subject="语文")
    AnnualGradeFactory(teacher=achiever, year=year, grade=3)
    OpenClassFactory(teacher=achiever, status="verified", level=2, year=year)
    plain = TeacherFactory(school=school, staff_no="T03", name="张合格")
    AnnualGradeFactory(teacher=plain, year=year, grade=2)
    return {"school": school, "year": year, "star": star, "achiever": achiever}


def test_the_principal_confirms_the_honours_and_prints_the_commendation(
    open_session, world, jobs_in_thread
):
    school, year = world["school"], world["year"]
    principal = open_session("zh-hans", name="honours-principal")
    principal.login("xiaozhang")
    page = principal.goto("/honours/")
    page.select_option("select[name=school]", str(school.pk))
    page.select_option("select[name=year]", str(year))
    principal.shot("lists")
    phone_shot(principal, "lists")
    page.locator("form[action$='/honours/new/'] button").click()
    page.wait_for_url(re.compile(r".*/honours/\d+/$"))
    honour_list = HonourList.objects.get(school=school, year=year)

    # The candidates, best first, with the reasons the records give.
    table = page.locator("#candidates")
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    first, second = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "林晓梅" in first and "优秀" in first
    assert (
        "陈志远" in second and "良好" in second and "已审核成果1项（其中区县级及以上1项）" in second
    )
    assert "张合格" not in table.inner_text()
    principal.shot("candidates")
    phone_shot(principal, "candidates")

    # Keep 林晓梅 with an honour, leave 陈志远 off, date the commendation, save, confirm.
    star = honour_list.candidates.get(teacher=world["star"])
    achiever = honour_list.candidates.get(teacher=world["achiever"])
    page.fill("input[name=title]", f"{year}学年度优秀教师表彰")
    page.fill("input[name=commended_on]", datetime.date(year + 1, 9, 10).isoformat())
    page.fill(f"input[name=honour-{star.pk}]", "优秀教师")
    page.check(f"input[name=included-{star.pk}]")
    page.uncheck(f"input[name=included-{achiever.pk}]")
    page.locator("form[action$='/save/'] > button.btn-primary").click()
    page.wait_for_url(f"**/honours/{honour_list.pk}/")
    page.locator("form[action$='/confirm/'] button").click()
    page.wait_for_url(f"**/honours/{honour_list.pk}/")
    honour_list.refresh_from_db()
    assert honour_list.is_confirmed and honour_list.commended_on == datetime.date(year + 1, 9, 10)
    principal.shot("confirmed")
    phone_shot(principal, "confirmed")

    # The printed commendation names the teacher and the school.
    page.locator("form[action$='/print/'] button").click()
    data = principal.job_file("commendation")
    assert data[:5] == b"%PDF-"
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "commendation.pdf"
        pdf.write_bytes(data)
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(Path(tmp) / "page")])
        for png in sorted(Path(tmp).glob("page*.png")):
            (principal_shots := Path("/tmp/journeys-shots")).mkdir(exist_ok=True)
            (principal_shots / f"commendation-{png.name}").write_bytes(png.read_bytes())
    assert "林晓梅" in text and "鼓楼第三中学" in text and "优秀教师" in text
    assert "陈志远" not in text

    # One step in English: the district office reads the confirmed list and its reasons.
    office = open_session("en", name="honours-office")
    office.login("qu")
    page = office.goto(f"/honours/{honour_list.pk}/")
    body = page.locator("main").inner_text()
    assert f"Annual assessment {year}–{year + 1}: Excellent (优秀)" in body
    assert "Confirm the list" not in body and "Print the commendation (PDF)" in body
    office.shot("office-en")
    phone_shot(office, "office-en")
