"""Recusal (回避) in the browser: the principal follows the round page's link, records that a
committee member steps back from a candidate, and the member's sheet no longer lists that
candidate. The pages fit a desktop and a phone in both languages."""

import datetime

import pytest
from django.utils import timezone

from backbone.services import rounds as services
from core.models import Role, school_year_start
from tests.browser.test_home_pages import overflow
from tests.factories import SchoolFactory, TeacherFactory, tier, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def round_scoring():
    school = SchoolFactory(code="GLXX02", name="鼓楼区第二实验小学")
    principal = user_with_role(Role.PRINCIPAL, school=school, username="wang")
    member = user_with_role(Role.COMMITTEE, school=school, username="chen", display_name="陈委员")
    user_with_role(Role.COMMITTEE, school=school, username="lin", display_name="林委员")
    today = timezone.localdate()
    round = services.round_open(
        school=school, tier=tier(school.district, "school"), title="校级骨干教师评选",
        year=school_year_start(today),
        quota=1, apply_from=today, apply_until=today + datetime.timedelta(days=7),
        criteria=[{"name": "教育教学实绩", "weight": 100, "max_score": 100}],
        committee=[member], by=principal,
    )  # fmt: skip
    for name, staff_no in (("李明", "X001"), ("周红", "X002")):
        teacher = TeacherFactory(school=school, name=name, staff_no=staff_no)
        services.candidate_nominate(round=round, teacher=teacher, by=principal)
    services.round_close_applications(round=round, by=principal)
    return round, principal, member


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_principal_records_a_recusal_and_the_sheet_follows(
    open_session, round_scoring, language
):
    round, principal, member = round_scoring
    for user in (principal, member):
        user.language = language
        user.save()
    office = open_session(language, name=f"recusal-{language}-principal")
    office.login("wang")
    page = office.goto(f"/backbone/rounds/{round.pk}/")
    page.locator("#recusal-link").click()
    page.wait_for_url(f"**/backbone/rounds/{round.pk}/recusal/")
    page.select_option("select[name=member]", str(member.pk))
    page.get_by_label("李明", exact=True).check()
    page.fill("input[name=reason]", "李明是陈委员的徒弟")
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()
    assert "李明是陈委员的徒弟" in page.locator("#recusals").inner_text()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page, "main") <= 0, width
        if language == "zh-hans" or width == 390:
            assert overflow(page) <= 0, width
        office.shot(f"recusal-{width}")

    committee = open_session(language, name=f"recusal-{language}-member")
    committee.login("chen")
    sheet = committee.goto(f"/backbone/rounds/{round.pk}/score/")
    table = sheet.locator("#score-sheet").inner_text()
    assert "周红" in table and "李明" not in table
    assert "李明" in sheet.locator("#recused-from").inner_text()
    for width in (1280, 390):
        sheet.set_viewport_size({"width": width, "height": 900})
        assert overflow(sheet, "main") <= 0, width
        committee.shot(f"sheet-{width}")
