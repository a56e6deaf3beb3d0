"""Nothing is wider than the screen: every role's home page and the backbone roster, in
Chinese and in English, on a desktop (1280 px) and a phone (390 px). The English menu once
ran past 1280 px for the office, committee and teacher roles and cut off the account menu;
the English roster on a phone was 538 px wide. Screenshots of each are kept."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ["teacher", "office", "committee", "principal", "district"]
WIDTHS = [1280, 390]


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def page_width(page) -> dict:
    """The page's width against the window's, and where the account button ends."""
    return page.evaluate(
        """() => {
            const account = document.querySelector("nav .nav-account");
            const box = account && account.getBoundingClientRect();
            return {
                scroll: document.documentElement.scrollWidth,
                window: window.innerWidth,
                account: box && box.width > 0 ? Math.ceil(box.right) : null,
            };
        }"""
    )


def assert_fits(session, label: str) -> None:
    page = session.page
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)  # the layout after the resize
        measured = page_width(page)
        assert measured["scroll"] <= measured["window"], (label, width, measured)
        if width >= 1200:  # the menu is one line: the account menu is on the screen
            assert measured["account"] is not None, (label, width)
            assert measured["account"] <= measured["window"], (label, width, measured)
        session.shot(f"{label}-{width}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_home_page_and_the_roster_fit_desktop_and_phone(open_session, demo, language):
    for username in ROLES:
        session = open_session(language, name=f"width-{username}-{language}")
        session.login(username, DEMO_PASSWORD)
        assert_fits(session, "home")
        if username in ("principal", "district"):
            session.goto(reverse("backbone:roster"))
            assert_fits(session, "roster")
