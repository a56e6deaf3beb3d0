"""Issue 19's journeys on a phone-size screen: observations recorded with the network off reach
the server exactly once each; a network that drops mid-request never doubles a record; a refused
item shows the server's message and can be fixed or discarded; a sign-in scanned offline is
accepted once if its code was valid when scanned; logging out empties the outbox."""

import contextlib
import datetime
import time

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
    wait_until(page, "navigator.serviceWorker.controller !== null")
    return page


def wait_until(page, script: str, timeout: float = 15):
    """Poll a script with page.evaluate: the strict CSP forbids the eval that
    page.wait_for_function polls with."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still false: {script}"
        page.wait_for_timeout(100)


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
            assert page.locator(".outbox-notice").count() == 1
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
    items.nth(1).wait_for(state="detached")

    items.first.locator(".outbox-fix").click()
    page.wait_for_url(f"**{QUICK}")
    wait_until(page, f"document.querySelector('[name=rows-0-date]').value === '{tomorrow}'")
    assert page.input_value("[name=rows-0-notes]") == "日期写错了"
    page.fill("input[name=rows-0-date]", timezone.localdate().isoformat())
    page.locator("button[name=submit]").click()
    page.wait_for_url("**/records/growth/")
    assert list(Observation.objects.values_list("notes", flat=True)) == ["日期写错了"]
    assert badge(page).is_hidden()


def test_an_open_class_evaluated_offline_arrives_once(open_session, people):
    from records.models import OpenClassEvaluation, Status
    from tests.factories import OpenClassFactory

    starts_at = timezone.now() - datetime.timedelta(hours=1)
    day = timezone.localtime(starts_at).date()
    open_class = OpenClassFactory(
        teacher=people["colleagues"][0],
        starts_at=starts_at,
        date=day,
        year=school_year_start(day),
        status=Status.SUBMITTED,
        topic="《落花生》",
    )
    url = f"/records/calendar/classes/{open_class.pk}/evaluate/"
    phone = phone_session(open_session, "offline-evaluate")
    page = phone.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until(page, "navigator.serviceWorker.controller !== null")
    with network_trouble(phone, OFFLINE):
        page.reload()  # the kept page, with no network
        for criterion, rating in (("design", 5), ("delivery", 4), ("engagement", 4), ("effect", 3)):
            page.check(f"input[name={criterion}][value='{rating}']")
        page.fill("[name=comments]", "层次清楚，小组讨论充分。")
        page.locator("form[data-outbox] button[type=submit]").click()
        page.wait_for_selector("#outbox-badge[data-waiting='1']")
        assert badge(page).inner_text() == "1 条待同步"
        assert not OpenClassEvaluation.objects.exists()
        phone.shot("evaluation-queued")

    back_online(page)
    page.wait_for_selector("#outbox-badge[hidden]", state="attached")
    evaluation = OpenClassEvaluation.objects.get()
    assert evaluation.open_class == open_class and evaluation.observer == people["teacher"]
    assert (evaluation.design, evaluation.effect) == (5, 3)
    assert evaluation.comments == "层次清楚，小组讨论充分。"


@pytest.fixture
def training_session(people):
    from tests.training.conftest import make_programme, make_session
    from training.models import Enrolment

    programme = make_programme(people["school"])
    Enrolment.objects.create(programme=programme, teacher=people["teacher"], origin="named")
    return make_session(programme, starts_at=datetime.time(0, 0), ends_at=datetime.time(23, 59))


def test_a_sign_in_scanned_offline_counts_once_if_its_code_was_valid(
    open_session, people, training_session
):
    from training import signin
    from training.models import Attendance

    session = training_session
    phone = phone_session(open_session, "offline-signin")
    page = phone.goto("/training/sign-in/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until(page, "navigator.serviceWorker.controller !== null")

    def link(step):
        return f"/training/sign-in/?s={session.code}&t={signin.token_for(session, step)}"

    now_step = signin.step_at(timezone.now())
    with network_trouble(phone, OFFLINE):
        # A photo of the code shown ten minutes ago.
        page.goto(phone.base_url + link(now_step - 24))
        page.wait_for_selector("#outbox-badge[data-waiting='1']")
        assert page.locator("#signin-offline").is_visible()
        assert "没有网络" in page.locator("#signin-offline").inner_text()
        # The code on the screen now.
        scanned = timezone.now()
        page.goto(phone.base_url + link(now_step))
        page.wait_for_selector("#outbox-badge[data-waiting='2']")
        assert page.url == phone.base_url + "/training/sign-in/"  # a reload queues nothing more
        page.reload()
        page.wait_for_selector("#outbox-badge[data-waiting='2']")
        phone.shot("signin-queued")
        phone.refusals.add(phone.base_url + "/training/sign-in/offline/")
        assert not Attendance.objects.exists()

    back_online(page)
    page.wait_for_selector("#outbox-badge[data-refused='1'][data-waiting='0']")
    line = Attendance.objects.get()
    assert line.teacher == people["teacher"] and line.attended
    assert abs((line.signed_in_at - scanned).total_seconds()) < 10
    page.goto(phone.base_url + "/outbox/")
    item = page.locator(".outbox-item[data-status=refused]")
    assert "扫码时签到码已过期" in item.inner_text()
    assert item.locator(".outbox-fix").count() == 0  # a scan cannot be fixed, only scanned again
    phone.shot("signin-refused")
    page.once("dialog", lambda dialog: dialog.accept())
    item.locator(".outbox-discard").click()
    page.wait_for_selector("#outbox-empty:not([hidden])")
    assert Attendance.objects.count() == 1


def test_logging_out_empties_the_outbox_and_the_kept_pages(open_session, people):
    phone = phone_session(open_session, "offline-logout")
    page = ready_offline_shell(phone)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    with network_trouble(phone, OFFLINE):
        fill_row(page, people["colleagues"][0], notes="共用手机上的记录", date=tomorrow)
        page.locator("button[name=submit]").click()
        page.wait_for_selector("#outbox-badge[data-waiting='1']")
        phone.refusals.add(phone.base_url + QUICK)
    # Back online the server refuses it: it stays in the outbox until fixed or discarded.
    back_online(page)
    page.wait_for_selector("#outbox-badge[data-refused='1']")
    page.fill("[name=rows-0-notes]", "未提交的草稿")
    wait_until(page, "window.guganOutbox.db().then((d) => d.count('drafts')).then((n) => n === 1)")
    assert page.evaluate("caches.keys().then((k) => k.length)") >= 1

    page.locator("form[data-outbox-logout]").evaluate("(form) => form.requestSubmit()")
    page.wait_for_url("**/login/**")
    # The login page may keep the static files again at once; no page of the teacher's stays.
    leftovers = page.evaluate(
        """async () => {
            const kept = [];
            for (const name of await caches.keys()) {
                for (const r of await (await caches.open(name)).keys()) kept.push(r.url);
            }
            return {
                pages: kept.filter((u) => !new URL(u).pathname.startsWith("/static/")),
                dbs: (await indexedDB.databases()).map((d) => d.name),
            };
        }"""
    )
    assert leftovers == {"pages": [], "dbs": []}
    assert not Observation.objects.exists()

    # The next person on this phone finds nothing of the last one's.
    phone.login("li")
    page = phone.goto(QUICK)
    assert badge(page).is_hidden()
    assert page.input_value("[name=rows-0-notes]") == ""


def test_a_camera_photo_is_made_smaller_on_the_phone_before_upload(
    open_session, people, tmp_path, settings
):
    from PIL import Image

    from records.models import Attachment
    from tests.factories import TrainingFactory

    settings.MEDIA_ROOT = str(tmp_path / "media")
    record = TrainingFactory(teacher=people["teacher"])
    camera = tmp_path / "IMG_0001.jpg"
    Image.effect_noise((4000, 3000), 40).convert("RGB").save(camera, "JPEG", quality=95)
    original = camera.stat().st_size

    phone = phone_session(open_session, "offline-photo")
    page = phone.goto(f"/records/{record.pk}/")
    box = page.locator(f"#attachments-{record.pk}")
    box.locator("input[type=file][name=file]").set_input_files(str(camera))
    note = box.locator(".photo-shrunk")
    note.wait_for()
    assert note.inner_text() == "照片已缩小后上传：4000×3000 → 1600×1200 像素。"
    box.locator("form[enctype] button[type=submit]").click()
    page.get_by_role("link", name="IMG_0001.jpg").wait_for()
    phone.shot("photo-attached")

    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/jpeg"
    assert attachment.size < original / 3
    with Image.open(attachment.file.path) as stored:
        assert stored.size == (1600, 1200)
        assert stored.format == "JPEG"
