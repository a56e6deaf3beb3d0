"""Recusal (回避) on a selection round's pages: a member declares it for themselves or the
principal records it; a recused member does not score those candidates, their marks for them
do not count, and a member recused from the whole round sees no score while it is secret."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from backbone.models import Candidate
from backbone.services import rounds as services
from core.models import Role
from scoring.models import PanelMember
from tests.backbone import test_rounds_services as shared
from tests.backbone.test_rounds_services import candidates_of, days, score, today
from tests.factories import user_with_role
from tests.html import visible_text

scoring_round = shared.scoring_round
member2 = shared.member2
staff = shared.staff


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the pages, as the test reads them
    with translation.override("en"):
        yield


def url(round):
    return reverse("backbone:round_recusal", args=[round.pk])


def declare(client, round, member, *, candidates=(), whole=False, reason="他是我的徒弟"):
    data = {"member": member.pk, "whole": "1" if whole else "0", "reason": reason}
    data["candidates"] = [c.pk for c in candidates]
    return client.post(url(round), data, follow=True, HTTP_ACCEPT_LANGUAGE="en")


def test_the_principal_records_a_recusal_and_the_member_no_longer_scores_that_candidate(
    login, principal, committee_member, scoring_round
):
    wang = candidates_of(scoring_round)["王芳"]
    page = declare(login(principal), scoring_round, committee_member, candidates=[wang])
    assert "The recusal of" in page.text
    table = visible_text(page.text)
    assert "王芳" in table and "他是我的徒弟" in table
    sheet = login(committee_member).get(reverse("backbone:round_score", args=[scoring_round.pk]))
    names = [c.teacher.name for c, _cells in sheet.context["form"].grid]
    assert "王芳" not in names and {"刘洋", "陈静"} <= set(names)
    assert "You stepped back from 王芳" in sheet.text
    # A crafted mark for 王芳 is refused; nothing is written.
    criterion = scoring_round.criteria.first()
    with translation.override("en"), pytest.raises(ValidationError, match="not in this round"):
        services.score_sheet_save(
            round=scoring_round, member=committee_member, values={(wang.pk, criterion.pk): 5}
        )


def test_marks_given_before_the_recusal_stop_counting(
    principal, committee_member, member2, scoring_round
):
    c = candidates_of(scoring_round)
    score(
        scoring_round,
        committee_member,
        {c["王芳"]: [10, 100], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]},
    )
    score(scoring_round, member2, {c["王芳"]: [5, 50], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]})
    assert Candidate.objects.get(pk=c["王芳"].pk).score == Decimal("75.00")
    services.round_member_recuse(
        round=scoring_round, by=principal, member=committee_member, reason="亲属",
        candidates=[c["王芳"]],
    )  # fmt: skip
    assert Candidate.objects.get(pk=c["王芳"].pk).score == Decimal("50.00")  # member2's alone
    assert Candidate.objects.get(pk=c["刘洋"].pk).score == Decimal("80.00")


def test_a_member_recused_from_the_whole_round_scores_nobody_and_sees_no_score(
    login, principal, committee_member, member2, scoring_round
):
    c = candidates_of(scoring_round)
    score(scoring_round, member2, {c["王芳"]: [9, 90], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]})
    client = login(committee_member)
    page = declare(client, scoring_round, committee_member, whole=True, reason="本人是候选人亲属")
    assert "The whole round" in visible_text(page.text)
    assert client.get(reverse("backbone:round_score", args=[scoring_round.pk])).status_code == 403
    detail = client.get(reverse("backbone:round", args=[scoring_round.pk]))
    assert not detail.context["show_scores"]
    assert "90.00" not in visible_text(detail.text)
    assert "recused from the round" in visible_text(detail.text)
    # the principal, off the panel, still sees the scores
    assert (
        login(principal)
        .get(reverse("backbone:round", args=[scoring_round.pk]))
        .context["show_scores"]
    )


def test_a_member_declares_only_for_themselves(login, committee_member, member2, scoring_round):
    wang = candidates_of(scoring_round)["王芳"]
    page = declare(login(committee_member), scoring_round, member2, candidates=[wang])
    assert page.context["form"].errors["member"]
    assert not PanelMember.objects.filter(recused_from__isnull=False).exists()
    form = login(committee_member).get(url(scoring_round)).context["form"]
    assert list(form.fields["member"].queryset) == [committee_member]


def test_readers_see_the_recusals_but_cannot_record_one(
    login, principal, committee_member, district_office, scoring_round
):
    wang = candidates_of(scoring_round)["王芳"]
    services.round_member_recuse(
        round=scoring_round, by=principal, member=committee_member, reason="亲属",
        candidates=[wang],
    )  # fmt: skip
    client = login(district_office)
    page = client.get(url(scoring_round))
    assert page.status_code == 200 and page.context["form"] is None
    assert "王芳" in visible_text(page.text)
    assert declare(client, scoring_round, committee_member, whole=True).status_code == 403
    assert not PanelMember.objects.filter(recused=True).exists()


def test_another_school_cannot_reach_the_page(login, outsider, committee_member, scoring_round):
    client = login(outsider)
    assert client.get(url(scoring_round)).status_code == 404
    assert declare(client, scoring_round, committee_member, whole=True).status_code == 404
    assert not PanelMember.objects.filter(recused=True).exists()


def test_no_recusal_once_the_list_is_announced(
    login, principal, committee_member, member2, scoring_round
):
    c = candidates_of(scoring_round)
    scores = {c["王芳"]: [9, 90], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]}
    score(scoring_round, committee_member, scores)
    score(scoring_round, member2, scores)
    services.round_propose(round=scoring_round, by=principal)
    services.round_announce(
        round=scoring_round, by=principal, announce_from=today(), announce_until=days(5)
    )
    client = login(principal)
    assert "before the list is announced" in client.get(url(scoring_round)).text
    assert declare(client, scoring_round, committee_member, whole=True).status_code == 403


def test_the_pages_cost_the_same_with_more_recusals(
    login, principal, school, committee_member, scoring_round, django_assert_max_num_queries
):
    client = login(principal)
    pages = (url(scoring_round), reverse("backbone:round", args=[scoring_round.pk]))

    def counts():
        result = []
        for page in pages:
            with django_assert_max_num_queries(60) as captured:
                assert client.get(page).status_code == 200
            result.append(len(captured.captured_queries))
        return result

    wang = candidates_of(scoring_round)["王芳"]
    services.round_member_recuse(
        round=scoring_round, by=principal, member=committee_member, reason="亲属",
        candidates=[wang],
    )  # fmt: skip
    few = counts()
    for i in range(4):
        member = user_with_role(Role.COMMITTEE, school=school, username=f"extra{i}")
        scoring_round.committee.add(member)
        services.round_member_recuse(
            round=scoring_round, by=principal, member=member, reason="亲属",
            candidates=list(scoring_round.candidates.all()) if i % 2 else None,
        )  # fmt: skip
    assert counts() == few
