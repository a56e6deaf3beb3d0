"""The announcement (公示) period of a selection round is counted in working days."""

import datetime

from django.urls import reverse

from core.dates import working_day_end, working_days
from core.models import Holiday
from tests.backbone import test_rounds_services as shared
from tests.backbone.test_rounds_services import today
from tests.html import visible_text

scoring_round = shared.scoring_round
announced_round = shared.announced_round
member2 = shared.member2
staff = shared.staff


def test_the_announcement_ends_after_five_working_days_by_default(scoring_round, principal, login):
    Holiday.objects.create(
        district=scoring_round.school.district,
        name="校庆",
        start_date=today() + datetime.timedelta(days=1),
        end_date=today() + datetime.timedelta(days=3),
    )
    page = login(principal).get(reverse("backbone:round_announce", args=[scoring_round.pk]))
    until = page.context["form"].fields["announce_until"].initial
    assert until == working_day_end(today(), 5, district_id=scoring_round.school.district_id)
    assert until >= today() + datetime.timedelta(days=7)  # 3 holiday days and a weekend at least


def test_the_round_page_shows_the_announcement_in_working_days(announced_round, principal, login):
    page = login(principal).get(reverse("backbone:round", args=[announced_round.pk]))
    shown = visible_text(page.content.decode())
    n = working_days(
        announced_round.announce_from,
        announced_round.announce_until,
        district_id=announced_round.school.district_id,
    )
    assert f"{n} 个工作日" in shown or f"{n} working day" in shown


def test_announcing_without_a_contact_person_is_a_field_error(scoring_round, principal, login):
    response = login(principal).post(
        reverse("backbone:round_announce", args=[scoring_round.pk]),
        {"announce_from": today().isoformat(), "announce_until": today().isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["notice_contact"]
    scoring_round.refresh_from_db()
    assert scoring_round.status == scoring_round.Status.SCORING
