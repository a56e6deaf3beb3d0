"""Issue 19's journeys on a phone-size screen: observations recorded with the network off reach
the server exactly once each; a network that drops mid-request never doubles a record; a refused
item shows the server's message and can be fixed or discarded; a sign-in scanned offline is
accepted once if its code was valid when scanned; logging out empties the outbox."""

import contextlib
import datetime

import pytest
from django.utils import timezone

from core.models import IdempotencyKey, Role, school_year_start
from records.models import Observation
from tests.factories import SchoolFactory, SchoolYearFactory, TeacherFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)

QUICK = "/records/observations/quick/"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def people():
    today = timezone.localdate()
    school = SchoolFactory(code="GLXX01", name="鼓楼区实验小学")
    SchoolYearFactory(district=school.district, start_year=school_year_start(today))
    user = user_with_role(Role.TEACHER, school=school, username="li")
    teacher = TeacherFactory(school=school, user=user, name="李明", subject="语文")
    colleagues = [TeacherFactory(school=school, name=f"同事{n}") for n in range(3)]
    return {"school": school, "user": user, "teacher": teacher, "colleagues": colleagues}


def phone_session(open_session, name: str):
    session = open_session("zh-hans", name=name)
    session.page.set_viewport_size(PHONE)
    session.login("li")
    return session


def ready_offline_shell(session):
    """Open the quick entry once online so the service worker keeps the page for later."""
    page = session.goto(QUICK)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # Reload once the worker controls the page: from then on the page is kept offline too.
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    return page


@contextlib.contextmanager
def network_trouble(session, *failures: str, offline: bool = True):
    """The network is down (or cut mid-request) on purpose: the requests that fail because of
    it are what the test is about, every other fault still fails the test."""
    before = len(session.problems)
    if offline:
        session.context.set_offline(True)
    try:
        yield
    finally:
        if offline:
            session.context.set_offline(False)
        kept = session.problems[:before]
        for problem in session.problems[before:]:
            if not any(f in problem for f in failures):
                kept.append(problem)
        session.problems[:] = kept


def back_online(page):
    page.evaluate("window.dispatchEvent(new Event('online'))")


def fill_row(page, colleague, *, notes: str, date: str | None = None):
    page.select_option("select[name=rows-0-observed_teacher]", str(colleague.pk))
    page.fill("[name=rows-0-notes]", notes)
    if date:
        page.fill("input[name=rows-0-date]", date)


def badge(page):
    return page.locator("#outbox-badge")


OFFLINE = "ERR_INTERNET_DISCONNECTED"


def test_three_observations_recorded_offline_arrive_once_each(open_session, people):
    phone = phone_session(open_session, "offline-three")
    page = ready_offline_shell(phone)
    with network_trouble(phone, OFFLINE):
        for n, colleague in enumerate(people["colleagues"], start=1):
            fill_row(page, colleague, notes=f"第{n}节课：小组合作充分。")
            page.locator("button[name=submit]").click()
            page.wait_for_selector(f"#outbox-badge[data-waiting='{n}']")
            notice = page.locator(".outbox-notice").first.inner_text()
            assert notice == "已保存在本机：网络恢复后自动发送。"
            # The form is free for the next observation.
            assert page.input_value("[name=rows-0-notes]") == ""
        assert badge(page).inner_text() == "3 条待同步"
        assert not Observation.objects.exists()
        phone.shot("three-queued")

        page.reload()  # still offline: the kept page, and the outbox still holds the three
        page.wait_for_selector("#outbox-badge[data-waiting='3']")
        assert badge(page).inner_text() == "3 条待同步"
        assert page.locator("#quick-form").is_visible()

    back_online(page)
    page.wait_for_selector("#outbox-badge[hidden]", state="attached")
    observed = sorted(Observation.objects.values_list("observed_teacher__name", flat=True))
    assert observed == ["同事0", "同事1", "同事2"]
    assert sorted(Observation.objects.values_list("notes", flat=True)) == [
        f"第{n}节课：小组合作充分。" for n in (1, 2, 3)
    ]
    assert IdempotencyKey.objects.count() == 3
    phone.shot("synced")


def test_a_network_that_drops_mid_request_never_doubles_a_record(open_session, people):
    phone = phone_session(open_session, "offline-drops")
    page = ready_offline_shell(phone)
    posts, answers = [], []
    cut = {"next": False}

    def flaky(route):
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.headers.get("idempotency-key"))
        if cut["next"]:
            # The server saves it, but its answer never reaches the phone.
            cut["next"] = False
            answers.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(f"**{QUICK}", flaky)
    with network_trouble(phone, "ERR_CONNECTION_RESET", offline=False):
        for n, colleague in enumerate(people["colleagues"], start=1):
            page.goto(phone.base_url + QUICK)
            fill_row(page, colleague, notes=f"断网第{n}次")
            cut["next"] = n != 2  # the first and the third lose their answer
            page.locator("button[name=submit]").click()
            if n != 2:
                # The answer was lost: the item waits; the next sync sends it with the same key.
                page.wait_for_selector(".outbox-notice")
                assert badge(page).inner_text() == "1 条待同步"
                assert answers[-1] == 200
                assert Observation.objects.count() == n
                page.evaluate("window.guganOutbox.sync()")
                page.wait_for_selector("#outbox-badge[hidden]", state="attached")
            else:
                page.wait_for_url("**/records/growth/")
            assert Observation.objects.count() == n
    assert len(posts) == 5 and len(set(posts)) == 3
    assert sorted(Observation.objects.values_list("notes", flat=True)) == [
        f"断网第{n}次" for n in (1, 2, 3)
    ]


def test_a_refused_item_shows_the_servers_message_and_can_be_fixed_or_discarded(
    open_session, people
):
    phone = phone_session(open_session, "offline-refused")
    page = ready_offline_shell(phone)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    with network_trouble(phone, OFFLINE):
        fill_row(page, people["colleagues"][0], notes="日期写错了", date=tomorrow)
        page.locator("button[name=submit]").click()
        page.wait_for_selector("#outbox-badge[data-waiting='1']")
        fill_row(page, people["colleagues"][1], notes="这一条不要了", date=tomorrow)
        page.locator("button[name=submit]").click()
        page.wait_for_selector("#outbox-badge[data-waiting='2']")
        phone.refusals.add(phone.base_url + QUICK)  # the server's refusals are the point

    back_online(page)
    page.wait_for_selector("#outbox-badge[data-refused='2']")
    assert badge(page).inner_text() == "2 条被拒收"
    assert not Observation.objects.exists()

    badge(page).click()
    page.wait_for_selector(".outbox-item[data-status=refused]")
    items = page.locator(".outbox-item")
    assert items.count() == 2
    assert "听课日期不能晚于今天。" in items.first.inner_text()
    phone.shot("refused")

    page.once("dialog", lambda dialog: dialog.accept())
    items.nth(1).locator(".outbox-discard").click()
    page.wait_for_function("document.querySelectorAll('.outbox-item').length === 1")

    items.first.locator(".outbox-fix").click()
    page.wait_for_url(f"**{QUICK}")
    page.wait_for_function(f"document.querySelector('[name=rows-0-date]').value === '{tomorrow}'")
    assert page.input_value("[name=rows-0-notes]") == "日期写错了"
    page.fill("input[name=rows-0-date]", timezone.localdate().isoformat())
    page.locator("button[name=submit]").click()
    page.wait_for_url("**/records/growth/")
    assert list(Observation.objects.values_list("notes", flat=True)) == ["日期写错了"]
    assert badge(page).is_hidden()
