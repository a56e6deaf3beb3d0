"""Posting an assessment round's results in the browser: the action bar asks for the notice
period and a contact person, refuses a start before the results were confirmed in the user's
language, and fits a desktop and a phone."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from assessment.models import AssessmentRound
from assessment.services import rounds as services
from core.models import Role
from tests.assessment.test_round_views import make_round, score
from tests.browser.test_home_pages import overflow
from tests.factories import SchoolFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_principal_posts_the_results_with_a_contact_person(open_session, language):
    school = SchoolFactory(code="GLXX03", name="鼓楼区第三实验小学")
    principal = user_with_role(Role.PRINCIPAL, school=school, username="wang", language=language)
    member = user_with_role(Role.COMMITTEE, school=school, username="chen")
    round = make_round(school, principal, [member])
    score(round, member, Decimal(85))
    services.round_finalise(round=round, by=principal)
    confirmed = timezone.now() - datetime.timedelta(days=1)
    AssessmentRound.objects.filter(pk=round.pk).update(finalised_at=confirmed)

    session = open_session(language, name=f"assessment-post-{language}")
    session.login("wang")
    page = session.goto(f"/assessment/rounds/{round.pk}/")
    early = timezone.localdate() - datetime.timedelta(days=3)
    page.fill("input[name=notice_from]", early.isoformat())
    page.fill("input[name=notice_contact]", "教科室 张老师 0591-7654321")
    page.locator("form[action$='/post/'] button[type=submit]").click()
    page.wait_for_load_state()
    alert = page.locator(".alert-danger, .alert-error").first.inner_text()
    with translation.override(language):
        assert translation.gettext("Posted from") in alert  # on its field, in their language
    if language == "en":
        assert "cannot start before the results were confirmed" in alert
    round.refresh_from_db()
    assert round.status == AssessmentRound.Status.FINALISED

    page.fill("input[name=notice_from]", timezone.localdate().isoformat())
    page.fill("input[name=notice_contact]", "教科室 张老师 0591-7654321")
    page.locator("form[action$='/post/'] button[type=submit]").click()
    page.wait_for_load_state()
    round.refresh_from_db()
    assert round.status == AssessmentRound.Status.POSTED
    assert "张老师" in page.locator("#actions").inner_text()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page, "main") <= 0, width
        session.shot(f"posted-{width}")
