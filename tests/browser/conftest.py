"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

from pathlib import Path

import pytest

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
        self.page.on(
            "console",
            lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None,
        )
        self.page.on("requestfailed", self._request_failed)
        self.page.on(
            "response",
            lambda r: self.problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None,
        )
        self.shots = 0

    def _request_failed(self, request):
        # ERR_ABORTED: the next navigation (or a download) cancelled the request; not a fault.
        if "ERR_ABORTED" in (request.failure or ""):
            return
        self.problems.append(f"failed: {request.url} {request.failure}")

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

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
