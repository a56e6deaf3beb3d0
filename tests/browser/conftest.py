"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="module", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test thread while the browser is open;
    the ORM calls the tests make around it are synchronous and safe. Only these modules get
    the switch, and the browser closes with its module so no other test runs beside it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(allow_orm_beside_playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


class Session:
    """One signed-in person in a browser tab; fails the test on console errors or failed
    requests, and keeps screenshots of the key screens."""

    def __init__(self, browser, base_url: str, name: str, language: str):
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale="zh-CN" if language == "zh-hans" else "en-US",
        )
        self.page = self.context.new_page()
        self.base_url = base_url
        self.name = name
        self.problems: list[str] = []
        self.refusals: set[str] = set()  # URLs whose 4xx the test asks for (goto_refused)
        self.page.on("console", self._console)
        self.page.on("requestfailed", self._request_failed)
        self.page.on("response", self._response)
        self.shots = 0

    def _response(self, response):
        if response.status >= 400 and response.url not in self.refusals:
            self.problems.append(f"{response.status}: {response.url}")

    def _console(self, message):
        if message.type != "error":
            return
        # Chromium logs every 4xx response as a console error too; the asked-for ones are fine.
        if message.location.get("url") in self.refusals:
            return
        self.problems.append(f"console: {message.text}")

    def _request_failed(self, request):
        # ERR_ABORTED: the next navigation (or a download) cancelled the request; not a fault.
        if "ERR_ABORTED" in (request.failure or ""):
            return
        self.problems.append(f"failed: {request.url} {request.failure}")

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

    def goto_refused(self, path: str) -> int:
        """Open a page this user must not reach and return its status: the refusal the test
        asserts is not counted as a fault."""
        url = self.base_url + path
        self.refusals.add(url)
        return self.page.goto(url).status

    def job_file(self, label: str, timeout: float = 90_000) -> bytes:
        """On a job's page: watch the progress bar until the job is done, keep a screenshot,
        download the file and return its bytes."""
        page = self.page
        page.wait_for_url("**/files/*/")
        progress = page.locator("#job-progress")
        finished = "#job-progress[data-status=done], #job-progress[data-status=failed]"
        page.wait_for_selector(finished, timeout=timeout)
        assert progress.get_attribute("data-status") == "done", progress.inner_text()
        assert progress.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
        self.shot(label)
        with page.expect_download() as download:
            progress.locator("a[href$='/download/']").click()
        return Path(download.value.path()).read_bytes()

    def login(self, username: str, password: str = "pass12345"):
        self.goto("/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("#submit-id-submit")
        self.page.wait_for_url(self.base_url + "/")

    def shot(self, label: str):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        self.page.screenshot(
            path=ARTIFACTS / f"{self.name}-{self.shots:02d}-{label}.png", full_page=True
        )

    def close(self):
        self.context.close()
        assert self.problems == [], self.problems


@pytest.fixture
def jobs_in_thread(settings):
    """On PostgreSQL, run jobs as the app does without Redis: in a thread of the live server,
    so the job page polls and its progress bar moves as in production. On the SQLite test
    database they stay inline (the page opens finished): its shared in-memory cache has
    table locks that fail a second thread's write at once instead of waiting."""
    if connection.vendor == "sqlite":
        yield
        return
    from core import jobs

    settings.JOBS_INLINE = False
    settings.CELERY_BROKER_URL = None
    # jobs._run_in_thread closes its thread's connection after each job, so the test database
    # can be dropped at the end.
    executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="browser-job")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jobs.running, "_executor", executor)
        yield
    executor.shutdown(wait=True)


@pytest.fixture
def open_session(browser, live_server, request):
    sessions = []

    def _open(language: str = "zh-hans", name: str = "") -> Session:
        session = Session(
            browser, live_server.url, name or f"{request.node.name}-{len(sessions)}", language
        )
        sessions.append(session)
        return session

    yield _open
    for session in sessions:
        session.close()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
