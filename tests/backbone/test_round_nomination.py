"""The nomination page: the menu in pinyin order with each teacher's eligibility, several
nominees at once, and no green message for a candidate who does not meet the rules."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from backbone.models import Candidate
from tests.backbone import test_rounds_services as shared
from tests.backbone.test_rounds_services import open_round
from tests.factories import TeacherFactory
from tests.html import visible_text

staff = shared.staff
member2 = shared.member2
scoring_round = shared.scoring_round


@pytest.fixture
def round(school, principal, committee_member, member2):
    return open_round(school=school, by=principal, committee=[committee_member, member2])


def messages_of(response):
    return [(m.level_tag, m.message) for m in response.context["messages"]]


def test_the_menu_lists_teachers_by_pinyin_with_their_eligibility(round, principal, staff, login):
    for name in ("张敏", "安然", "李娜"):
        TeacherFactory(school=round.school, name=name)
    page = login(principal).get(reverse("backbone:round_nominate", args=[round.pk]))
    labels = [str(label) for _, label in page.context["form"].fields["teachers"].choices]
    order = [n for n in ("安然", "李娜", "张敏") if any(label.startswith(n) for label in labels)]
    names = [
        re.split("[ （]", label)[0] for label in labels if re.split("[ （]", label)[0] in order
    ]
    if connection.vendor == "postgresql":
        assert names == ["安然", "李娜", "张敏"]  # an, li, zhang
    else:  # SQLite has no pinyin collation: character-code order
        assert names == ["安然", "张敏", "李娜"]
    rookie = next(label for label in labels if label.startswith("新手"))
    wang = next(label for label in labels if label.startswith("王芳"))
    assert wang.endswith(("· 具备参评资格", "· eligible"))
    assert ("不具备参评资格：" in rookie or "not eligible: " in rookie) and "教龄" in rookie


def test_several_teachers_are_nominated_at_once(round, principal, staff, login):
    response = login(principal).post(
        reverse("backbone:round_nominate", args=[round.pk]),
        {"teachers": [staff["wang"].pk, staff["liu"].pk]},
        follow=True,
    )
    added = set(round.candidates.values_list("teacher__name", flat=True))
    assert added == {"王芳", "刘洋"}
    assert [level for level, _ in messages_of(response)] == ["success"]


def test_an_ineligible_nominee_gets_a_warning_naming_why_not_a_success(
    round, principal, staff, login
):
    response = login(principal).post(
        reverse("backbone:round_nominate", args=[round.pk]),
        {"teachers": [staff["rookie"].pk]},
        follow=True,
    )
    candidate = Candidate.objects.get(round=round, teacher=staff["rookie"])
    assert not candidate.is_eligible
    shown = messages_of(response)
    assert [level for level, _ in shown] == ["warning"]
    assert candidate.eligibility_summary in shown[0][1]
    assert "alert-success" not in response.content.decode()
    assert "新手" in visible_text(response.content.decode())


def test_a_mixed_nomination_is_green_only_for_the_eligible(round, principal, staff, login):
    response = login(principal).post(
        reverse("backbone:round_nominate", args=[round.pk]),
        {"teachers": [staff["wang"].pk, staff["rookie"].pk]},
        follow=True,
    )
    shown = dict(messages_of(response))
    assert "王芳" in shown["success"] and "新手" not in shown["success"]
    assert "新手" in shown["warning"]


def test_a_teacher_already_a_candidate_is_not_offered_again(round, principal, staff, login):
    client = login(principal)
    url = reverse("backbone:round_nominate", args=[round.pk])
    client.post(url, {"teachers": [staff["wang"].pk]})
    page = client.get(url)
    labels = [str(label) for _, label in page.context["form"].fields["teachers"].choices]
    assert not any(label.startswith("王芳") for label in labels)
    response = client.post(url, {"teachers": [staff["wang"].pk]})
    assert response.status_code == 200
    assert round.candidates.filter(teacher=staff["wang"]).count() == 1


def test_nominating_nobody_is_a_field_error(round, principal, login):
    response = login(principal).post(
        reverse("backbone:round_nominate", args=[round.pk]), {"statement": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["teachers"]


def test_the_announcement_page_has_a_button_to_start_it(scoring_round, principal, login):
    page = login(principal).get(reverse("backbone:round_announce", args=[scoring_round.pk]))
    assert 'type="submit"' in page.content.decode().split("<main", 1)[1]


def test_the_menu_takes_as_many_queries_for_50_teachers_as_for_5(
    round, principal, login, count_queries
):
    client = login(principal)
    url = reverse("backbone:round_nominate", args=[round.pk])
    TeacherFactory.create_batch(5, school=round.school)
    few = count_queries(client, url)
    TeacherFactory.create_batch(45, school=round.school)
    assert count_queries(client, url) == few
