"""While the committee scores, a rank must not leak through an order, a count or a file: a
member who has not scored sees the candidates in the same order before and after another
member submits, and the data export blanks the rank exactly when it blanks the score."""

from django.urls import reverse

from backbone.services import rounds as services
from scoring.services.panels import panel_reveal
from tests.backbone import test_rounds_services as shared
from tests.backbone.test_rounds_services import candidates_of, open_round, score
from tests.core.test_data_export import csv_rows, export

scoring_round = shared.scoring_round
member2 = shared.member2
staff = shared.staff
NAMES = ["王芳", "刘洋", "陈静"]


def page(client, round):
    return client.get(reverse("backbone:round", args=[round.pk]))


def order(response) -> list[str]:
    """The candidates' names in the order the page lists them first."""
    return sorted(NAMES, key=response.text.index)


def test_a_member_who_has_not_scored_sees_the_same_order_before_and_after_another_submits(
    login, scoring_round, committee_member, member2, training_office
):
    c = candidates_of(scoring_round)
    client = login(committee_member)
    before = page(client, scoring_round)
    # member2's scores rank the candidates against their name order: 陈静, 刘洋, 王芳
    score(scoring_round, member2, {c["王芳"]: [1, 10], c["刘洋"]: [5, 50], c["陈静"]: [9, 90]})
    after = page(client, scoring_round)
    assert order(before) == order(after)
    assert before.context["submitted_count"] is None is after.context["submitted_count"]
    assert [x.teacher.name for x in after.context["candidates"]] == sorted(
        NAMES, key=lambda n: c[n].teacher.name
    )
    # the training office, off the committee, sees the ranking and who has submitted
    managed = page(login(training_office), scoring_round)
    assert order(managed) == ["陈静", "刘洋", "王芳"]
    assert managed.context["submitted_count"] == 1


def test_the_export_blanks_the_rank_with_the_score_while_they_are_secret(
    login, school, principal, member2, staff, training_office, django_capture_on_commit_callbacks
):
    round = open_round(school=school, by=principal, committee=[principal, member2])
    for key in ("wang", "liu", "chen"):
        services.candidate_nominate(round=round, teacher=staff[key], by=principal)
    services.round_close_applications(round=round, by=principal)
    c = candidates_of(round)
    score(round, member2, {c["王芳"]: [1, 10], c["刘洋"]: [5, 50], c["陈静"]: [9, 90]})

    def ranks_and_scores(user):
        rows = csv_rows(
            export(login, user, f"school={school.pk}", django_capture_on_commit_callbacks),
            "candidates",
        )
        header = rows[0]
        rank, weighted = header.index("排名"), header.index("加权得分")
        return [(r[rank], r[weighted]) for r in rows[1:]]

    # the principal sits on the committee and has not submitted: no score, no rank
    assert ranks_and_scores(principal) == [("", "")] * 3
    # The office is off the committee and sees them on the round page, but its export is shared
    # with the principal: neither in the file.
    assert ranks_and_scores(training_office) == [("", "")] * 3
    panel_reveal(panel=round.panel)  # the result announced: every downloader may see them
    seen = ranks_and_scores(training_office)
    assert sorted(seen) == [("1", "90.00"), ("2", "50.00"), ("3", "10.00")]
