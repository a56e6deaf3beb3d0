"""The round form checks its dates against the round's school year and today; closing
applications early asks for confirmation."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from backbone.models import SelectionRound
from tests.backbone import test_rounds_services as shared
from tests.backbone.test_rounds_services import days, open_round, today
from tests.backbone.test_rounds_views import round_form_data
from tests.factories import tier

member2 = shared.member2


def current_year() -> int:
    return today().year if today().month >= 9 else today().year - 1


@pytest.fixture
def post(login, principal, committee_member, school):
    client = login(principal)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def _post(**overrides):
        data = round_form_data(committee=[committee_member], **overrides)
        data.update(school=school.pk, tier=tier(school.district, "school").pk)
        return client.post(reverse("backbone:round_new"), data)

    return _post


def test_a_window_in_2020_is_refused_for_a_round_of_this_year(post):
    year = current_year()
    response = post(year=str(year), apply_from="2020-03-01", apply_until="2020-03-15")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "is outside the school year" in errors["apply_from"][0]
    assert "is outside the school year" in errors["apply_until"][0]
    assert not SelectionRound.objects.exists()


def test_a_window_in_the_next_school_year_is_refused_for_this_one(post):
    year = current_year()
    response = post(
        year=str(year),
        apply_from=datetime.date(year + 1, 9, 10).isoformat(),
        apply_until=datetime.date(year + 1, 9, 20).isoformat(),
    )
    assert response.context["form"].errors["apply_from"]
    assert not SelectionRound.objects.exists()


def test_a_window_closing_before_it_opens_or_already_over_is_refused(post):
    response = post(apply_from=days(10).isoformat(), apply_until=days(2).isoformat())
    assert (
        "close on or after the day they open" in response.context["form"].errors["apply_until"][0]
    )
    response = post(apply_from=days(-20).isoformat(), apply_until=days(-1).isoformat())
    if datetime.date(current_year(), 9, 1) <= days(-20):
        assert "This day has passed" in response.context["form"].errors["apply_until"][0]
    assert not SelectionRound.objects.exists()


def test_a_window_within_the_year_is_accepted(post):
    response = post(apply_from=today().isoformat(), apply_until=days(10).isoformat())
    assert response.status_code == 302
    round = SelectionRound.objects.get()
    assert round.apply_until == days(10)


def test_closing_applications_early_asks_for_confirmation(
    login, school, principal, committee_member
):
    round = open_round(school=school, by=principal, committee=[committee_member])
    assert round.apply_until > today()
    page = login(principal).get(reverse("backbone:round", args=[round.pk])).content.decode()
    close = reverse("backbone:round_close", args=[round.pk])
    form = page[page.index(f'action="{close}"') :].split(">", 1)[0]
    assert "data-confirm=" in form

    SelectionRound.objects.filter(pk=round.pk).update(apply_from=days(-10), apply_until=days(-1))
    page = login(principal).get(reverse("backbone:round", args=[round.pk])).content.decode()
    form = page[page.index(f'action="{close}"') :].split(">", 1)[0]
    assert "data-confirm=" not in form
