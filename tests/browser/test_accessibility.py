"""The pages issue 15 counted keep zero accessibility violations on a phone and on a 1280 px
screen (where the menu is one line): axe-core runs on every role's home page, the teacher list,
the rosters and rounds, targets, My growth, the record entry, the verification queue, the
duties grid, the mentoring overview and the district overview, in Chinese and in English
(tests/browser/accessibility.py)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.demo import DEMO_PASSWORD

from .accessibility import assert_accessible, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PAGES = {
    "principal": [
        "home", "teachers:list", "backbone:roster", "backbone:rounds", "backbone:targets",
        "records:queue", "assessment:duties_grid", "mentoring:overview",
    ],
    "teacher": ["home", "records:growth", "/records/new/open_class/"],
    "office": ["home"],
    "committee": ["home"],
    "district": ["home", "documents:district"],
}  # fmt: skip


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_counted_pages_have_no_accessibility_violation(open_session, demo, language, size):
    """On a phone, and on an office's desktop screen, where the menu is one line."""
    found = {}
    for username, pages in PAGES.items():
        session = open_session(language, name=f"a11y-{username}-{language}-{size}")
        session.page.set_viewport_size(PHONE if size == "phone" else DESKTOP)
        session.login(username, DEMO_PASSWORD)
        for page in pages:
            session.goto(page if page.startswith("/") else reverse(page))
            session.page.wait_for_load_state("load")
            found[f"{username} {page}"] = axe_violations(session)
    assert len(found) == 15
    faults = [
        f"{page}: {v['rule']} ({v['impact']}) {v['help']} at {v['nodes']}"
        for page, violations in found.items()
        for v in violations
    ]
    assert faults == [], "\n".join(faults)


def test_the_check_finds_a_violation_when_there_is_one(open_session, demo):
    """The helper is not blind: an image without a text alternative is reported."""
    session = open_session("en", name="a11y-self-check")
    session.login("teacher", DEMO_PASSWORD)
    session.page.evaluate(
        "() => { const i = document.createElement('img'); i.src = '/static/img/favicon.svg';"
        " document.querySelector('main').append(i); }"
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(session)
