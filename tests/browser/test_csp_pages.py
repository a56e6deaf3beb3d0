"""Every main page under the Content-Security-Policy: the browser refuses inline scripts and
styles and reports each refusal as a console error, which fails the session. The behaviour that
moved from inline handlers to static/js/gugan.js is exercised on the way."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PRINCIPAL_PAGES = [
    "home", "teachers:list", "backbone:roster", "backbone:roster_print", "backbone:reserve",
    "backbone:rounds", "backbone:rules", "backbone:eligibility", "backbone:grades",
    "backbone:targets", "records:queue", "records:calendar", "assessment:duties_grid",
    "assessment:duty_templates", "assessment:rounds", "assessment:flagged", "documents:yearly",
    "mentoring:list", "mentoring:overview", "jobs", "data_export",
]  # fmt: skip
TEACHER_PAGES = [
    "home", "teachers:me", "records:growth", "records:calendar", "records:observations_quick",
    "assessment:my_duties", "assessment:duty_report", "backbone:notices",
]  # fmt: skip


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def bar_widths(page) -> list[float]:
    return page.eval_on_selector_all(
        ".progress-bar", "bars => bars.map(b => b.getBoundingClientRect().width)"
    )


def test_main_pages_work_under_the_policy(open_session, demo):
    s = open_session("en", name="csp-principal")
    s.login("principal", DEMO_PASSWORD)
    page = s.page
    for name in PRINCIPAL_PAGES:
        s.goto(reverse(name))
        page.wait_for_load_state("load")

    # Chart.js draws the targets from the json_script block.
    s.goto(reverse("backbone:targets"))
    page.wait_for_selector("[data-chart-source] canvas")

    # Progress bars take their width from a class, not a style attribute.
    s.goto("/")
    assert any(width > 0 for width in bar_widths(page))

    # A confirm question that is answered "no" keeps the form from being sent.
    s.goto(reverse("assessment:flagged"))
    form = page.locator("form[data-confirm]").first
    questions = []
    page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    form.locator("[type=submit]").click()
    page.wait_for_timeout(300)
    assert questions == [form.get_attribute("data-confirm")]
    assert page.url.endswith(reverse("assessment:flagged"))

    # "Select all" in the verification queue ticks every row.
    s.goto(reverse("records:queue"))
    page.check("#queue-check-all")
    assert page.locator(".queue-check").count() > 0
    assert page.locator(".queue-check:not(:checked)").count() == 0

    # Choosing a status submits the filter at once.
    s.goto(reverse("mentoring:list"))
    page.select_option("select[data-autosubmit]", index=1)
    page.wait_for_url(lambda url: "status=" in url)

    t = open_session("en", name="csp-teacher")
    t.login("teacher", DEMO_PASSWORD)
    for name in TEACHER_PAGES:
        t.goto(reverse(name))
        t.page.wait_for_load_state("load")
    t.goto(reverse("records:growth"))
    assert any(width > 0 for width in bar_widths(t.page))
