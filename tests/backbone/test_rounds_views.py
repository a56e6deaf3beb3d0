import pytest
from django.urls import reverse

from backbone.models import Candidate, Designation, Objection, SelectionRound
from backbone.services import rounds as services
from core.models import Role
from scoring.models import Sheet
from tests.backbone import test_rounds_services as shared
from tests.backbone.test_rounds_services import (
    candidates_of,
    days,
    end_announcement,
    open_round,
    reload,
    score,
    today,
)
from tests.factories import TeacherFactory, user_with_role
from tests.html import visible_text

# The round fixtures are shared with the service tests.
announced_round = shared.announced_round
scoring_round = shared.scoring_round
member2 = shared.member2
staff = shared.staff


def round_form_data(*, committee, weights=(20, 40, 25, 15), **overrides):
    names = ["师德表现", "教育教学实绩", "教科研能力", "示范引领"]
    data = {
        "title": "2025学年校级骨干教师评选",
        "tier": "",
        "year": str(today().year if today().month >= 9 else today().year - 1),
        "term_years": "",
        "quota": "2",
        "apply_from": today().isoformat(),
        "apply_until": days(10).isoformat(),
        "committee": [u.pk for u in committee],
        "criteria-TOTAL_FORMS": "6",
        "criteria-INITIAL_FORMS": "4",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for i, (name, weight) in enumerate(zip(names, weights, strict=True)):
        data[f"criteria-{i}-name"] = name
        data[f"criteria-{i}-weight"] = str(weight)
        data[f"criteria-{i}-max_score"] = "100"
    data.update(overrides)
    return data


def sheet_post(round, scores, action):
    criteria = list(round.criteria.all())
    data = {action: "1"}
    for candidate, values in scores.items():
        for criterion, value in zip(criteria, values, strict=True):
            data[f"s_{candidate.pk}_{criterion.pk}"] = str(value)
    return data


def text(response) -> str:
    return response.content.decode()


# -- end to end ---------------------------------------------------------------------------------
def test_a_principal_runs_a_round_end_to_end_in_the_browser(
    login, school, principal, committee_member, teacher_user, staff
):
    from tests.factories import tier

    client = login(principal)
    page = client.get(reverse("backbone:round_new"))
    assert page.status_code == 200 and "师德表现" in text(page)  # a default criterion
    data = round_form_data(committee=[committee_member])
    data.update(school=school.pk, tier=tier(school.district, "school").pk)
    response = client.post(reverse("backbone:round_new"), data)
    round = SelectionRound.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "backbone:round", args=[round.pk]
    )
    assert round.term_years == 2 and round.criteria.count() == 4

    # A teacher finds the round and applies.
    client = login(teacher_user)
    assert round.title in text(client.get(reverse("backbone:rounds")))
    response = client.post(
        reverse("backbone:round_apply", args=[round.pk]), {"statement": "近两年开设区级公开课3节"}
    )
    assert response.status_code == 302
    assert Candidate.objects.get(round=round, teacher=teacher_user.teacher).is_eligible

    # The principal nominates another teacher and closes applications.
    client = login(principal)
    response = client.post(
        reverse("backbone:round_nominate", args=[round.pk]), {"teachers": [staff["wang"].pk]}
    )
    assert response.status_code == 302
    client.post(reverse("backbone:round_close", args=[round.pk]))
    assert reload(round).status == SelectionRound.Status.SCORING

    # The committee member scores and submits.
    client = login(committee_member)
    page = client.get(reverse("backbone:round_score", args=[round.pk]))
    assert page.status_code == 200 and "王芳" in text(page)
    c = candidates_of(round)
    scores = {c["李老师"]: [90, 90, 90, 90], c["王芳"]: [80, 80, 80, 80]}
    client.post(reverse("backbone:round_score", args=[round.pk]), sheet_post(round, scores, "save"))
    sheet = Sheet.objects.get(panel=round.panel, member=committee_member)
    assert sheet.submitted_at is None and sheet.marks.count() == 8
    response = client.post(
        reverse("backbone:round_score", args=[round.pk]), sheet_post(round, scores, "submit")
    )
    assert response.status_code == 302
    assert reload(sheet).submitted_at is not None

    # The principal proposes the top of the ranking and announces it.
    client = login(principal)
    assert client.get(reverse("backbone:round_propose", args=[round.pk])).status_code == 200
    client.post(reverse("backbone:round_propose", args=[round.pk]), {"default": "1"})
    assert set(round.candidates.filter(proposed=True)) == {c["李老师"], c["王芳"]}
    assert client.get(reverse("backbone:round_announce", args=[round.pk])).status_code == 200
    client.post(
        reverse("backbone:round_announce", args=[round.pk]),
        {
            "announce_from": today().isoformat(),
            "announce_until": days(5).isoformat(),
            "notice_contact": "教导处 张老师 0591-1234567",
        },
    )
    assert reload(round).status == SelectionRound.Status.ANNOUNCED
    notice = client.get(reverse("backbone:notice", args=[round.pk]))
    assert "教导处 张老师 0591-1234567" in notice.content.decode()

    # A teacher reads the notice and objects; the principal records the handling.
    client = login(teacher_user)
    assert round.title in text(client.get(reverse("backbone:notices")))
    notice = text(client.get(reverse("backbone:notice", args=[round.pk])))
    assert "王芳" in notice and "李老师" in notice
    client.post(
        reverse("backbone:objection_new", args=[round.pk]),
        {"candidate": c["王芳"].pk, "text": "请核实王芳的公开课记录"},
    )
    objection = Objection.objects.get()
    client = login(principal)
    assert client.get(reverse("backbone:objection_handle", args=[objection.pk])).status_code == 200
    client.post(
        reverse("backbone:objection_handle", args=[objection.pk]),
        {"outcome": "dismissed", "response": "已核实，记录齐全。"},
    )
    assert reload(objection).outcome == Objection.Outcome.DISMISSED

    # After the announcement the round is confirmed, once, and is read-only.
    end_announcement(round)
    client.post(reverse("backbone:round_confirm", args=[round.pk]))
    client.post(reverse("backbone:round_confirm", args=[round.pk]))
    assert Designation.objects.filter(round=round).count() == 2
    body = text(client.get(reverse("backbone:round", args=[round.pk])))
    assert reload(round).status == SelectionRound.Status.CONFIRMED
    for name in ("round_confirm", "round_cancel", "round_nominate", "round_propose"):
        assert reverse(f"backbone:{name}", args=[round.pk]) not in body
    assert reverse("backbone:candidate_withdraw", args=[c["王芳"].pk]) not in body


def test_weights_not_adding_up_to_100_show_a_clear_error(
    login, school, principal, committee_member
):
    data = round_form_data(committee=[committee_member], weights=(20, 40, 20, 10))
    data.update(school=school.pk, tier=school.district.tiers.get(code="school").pk)
    response = login(principal).post(reverse("backbone:round_new"), data)
    assert response.status_code == 200
    assert 'id="criteria-errors"' in text(response) and "90" in text(response)
    assert not SelectionRound.objects.exists()


def test_the_open_form_offers_only_the_school_tier_and_committee_roles(
    login, school, principal, committee_member, teacher_user
):
    form = login(principal).get(reverse("backbone:round_new")).context["form"]
    assert list(form.fields["tier"].queryset) == [school.district.tiers.get(code="school")]
    assert set(form.fields["committee"].queryset) == {principal, committee_member}


# -- scoping ------------------------------------------------------------------------------------
ROUND_PAGES = ["round", "round_nominate", "round_score", "round_propose", "round_announce"]
MANAGER_POSTS = ["round_close", "round_eligibility", "round_confirm", "round_cancel"]


def test_a_user_of_another_school_gets_404_on_every_round_url(login, announced_round, outsider):
    client = login(outsider)
    objection = Objection.objects.create(round=announced_round, author=outsider, text="x")
    candidate = announced_round.candidates.first()
    for name in [*ROUND_PAGES, "round_apply", "notice", "objection_new"]:
        assert client.get(reverse(f"backbone:{name}", args=[announced_round.pk])).status_code == 404
    for name in MANAGER_POSTS:
        assert (
            client.post(reverse(f"backbone:{name}", args=[announced_round.pk])).status_code == 404
        )
    assert client.get(reverse("backbone:objection_handle", args=[objection.pk])).status_code == 404
    url = reverse("backbone:candidate_withdraw", args=[candidate.pk])
    assert client.post(url).status_code == 404
    assert announced_round.title not in text(client.get(reverse("backbone:rounds")))
    assert announced_round.title not in text(client.get(reverse("backbone:notices")))


@pytest.mark.parametrize("who", ["committee_member", "district_office"])
def test_readers_get_403_on_principal_actions(request, login, announced_round, teacher_user, who):
    client = login(request.getfixturevalue(who))
    objection = services.objection_lodge(round=announced_round, author=teacher_user, text="x")
    assert client.get(reverse("backbone:round", args=[announced_round.pk])).status_code == 200
    for name in ["round_nominate", "round_propose", "round_announce"]:
        assert client.get(reverse(f"backbone:{name}", args=[announced_round.pk])).status_code == 403
    for name in MANAGER_POSTS:
        assert (
            client.post(reverse(f"backbone:{name}", args=[announced_round.pk])).status_code == 403
        )
    assert client.get(reverse("backbone:objection_handle", args=[objection.pk])).status_code == 403
    candidate = announced_round.candidates.first()
    assert (
        client.post(reverse("backbone:candidate_withdraw", args=[candidate.pk])).status_code == 403
    )
    assert reload(announced_round).status == SelectionRound.Status.ANNOUNCED


def test_the_district_office_reads_the_round_and_its_scores(
    login, announced_round, district_office
):
    body = text(login(district_office).get(reverse("backbone:round", args=[announced_round.pk])))
    assert "王芳" in body and "90.00" in body
    assert reverse("backbone:round_confirm", args=[announced_round.pk]) not in body


def test_only_committee_members_reach_the_score_page(login, scoring_round, principal, member2):
    assert (
        login(principal).get(reverse("backbone:round_score", args=[scoring_round.pk])).status_code
        == 403
    )
    assert (
        login(member2).get(reverse("backbone:round_score", args=[scoring_round.pk])).status_code
        == 200
    )


def test_a_teacher_sees_the_notice_and_objects_but_never_the_scores(
    login, announced_round, teacher_user
):
    client = login(teacher_user)
    assert client.get(reverse("backbone:round", args=[announced_round.pk])).status_code == 404
    assert client.get(reverse("backbone:round_score", args=[announced_round.pk])).status_code == 404
    notice = text(client.get(reverse("backbone:notice", args=[announced_round.pk])))
    assert "王芳" in notice and "刘洋" in notice and "陈静" not in notice
    # 王芳's weighted score is 90.00 and 刘洋's 80.00; only the ranks are public.
    assert "90.00" not in notice and "80.00" not in notice
    wang = candidates_of(announced_round)["王芳"]
    response = client.post(
        reverse("backbone:objection_new", args=[announced_round.pk]),
        {"candidate": wang.pk, "text": "有异议"},
    )
    assert response.status_code == 302
    objection = Objection.objects.get(author=teacher_user)
    assert objection.candidate == wang
    notice = text(client.get(reverse("backbone:notice", args=[announced_round.pk])))
    assert "有异议" in notice  # their own objection and its state


def test_other_staff_do_not_see_someone_elses_objection(
    login, announced_round, teacher_user, school
):
    services.objection_lodge(round=announced_round, author=teacher_user, text="匿名意见内容")
    colleague = user_with_role(Role.TEACHER, school=school, username="colleague")
    TeacherFactory(school=school, user=colleague)
    notice = text(login(colleague).get(reverse("backbone:notice", args=[announced_round.pk])))
    assert "匿名意见内容" not in notice


def test_objections_outside_the_window_are_refused_with_a_message(
    login, announced_round, teacher_user
):
    end_announcement(announced_round)
    client = login(teacher_user)
    notice = text(client.get(reverse("backbone:notice", args=[announced_round.pk])))
    assert reverse("backbone:objection_new", args=[announced_round.pk]) not in notice
    response = client.post(
        reverse("backbone:objection_new", args=[announced_round.pk]),
        {"text": "太晚了"},
        follow=True,
    )
    assert not Objection.objects.exists()
    assert "alert-danger" in text(response)


def test_an_upheld_objection_takes_the_candidate_off_the_notice(
    login, announced_round, teacher_user, principal
):
    wang = candidates_of(announced_round)["王芳"]
    objection = services.objection_lodge(
        round=announced_round, author=teacher_user, text="x", candidate=wang
    )
    login(principal).post(
        reverse("backbone:objection_handle", args=[objection.pk]),
        {"outcome": "upheld", "response": "属实"},
    )
    notice = text(login(teacher_user).get(reverse("backbone:notice", args=[announced_round.pk])))
    assert "王芳" not in notice.split('id="notice-list"')[1].split("</table>")[0]


# -- scoring secrecy ----------------------------------------------------------------------------
def test_a_member_sees_others_scores_only_after_submitting_their_own(
    login, scoring_round, committee_member, member2
):
    c = candidates_of(scoring_round)
    score(
        scoring_round,
        committee_member,
        {c["王芳"]: [7.5, 87.5], c["刘洋"]: [6, 66], c["陈静"]: [5, 55]},
    )
    client = login(member2)
    detail = text(client.get(reverse("backbone:round", args=[scoring_round.pk])))
    assert "87.5" not in detail and 'id="scores-hidden"' in detail
    assert "87.5" not in text(client.get(reverse("backbone:round_score", args=[scoring_round.pk])))
    scores = {c["王芳"]: [1, 10], c["刘洋"]: [2, 20], c["陈静"]: [3, 30]}
    client.post(
        reverse("backbone:round_score", args=[scoring_round.pk]),
        sheet_post(scoring_round, scores, "submit"),
    )
    detail = text(client.get(reverse("backbone:round", args=[scoring_round.pk])))
    assert "87.5" in detail and 'id="sheets"' in detail


def test_a_submitted_sheet_cannot_be_changed_through_the_page(
    login, scoring_round, committee_member
):
    c = candidates_of(scoring_round)
    scores = {c["王芳"]: [9, 90], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]}
    score(scoring_round, committee_member, scores)
    client = login(committee_member)
    changed = {c["王芳"]: [1, 1], c["刘洋"]: [1, 1], c["陈静"]: [1, 1]}
    client.post(
        reverse("backbone:round_score", args=[scoring_round.pk]),
        sheet_post(scoring_round, changed, "save"),
    )
    values = Sheet.objects.get(member=committee_member).marks.values_list("value", flat=True)
    assert 1 not in {int(v) for v in values}


def test_submitting_an_incomplete_sheet_keeps_the_draft_and_says_what_is_missing(
    login, scoring_round, committee_member
):
    c = candidates_of(scoring_round)
    client = login(committee_member)
    response = client.post(
        reverse("backbone:round_score", args=[scoring_round.pk]),
        sheet_post(scoring_round, {c["王芳"]: [9, 90]}, "submit"),
        follow=True,
    )
    sheet = Sheet.objects.get(member=committee_member)
    assert sheet.submitted_at is None and sheet.marks.count() == 2
    assert "alert-danger" in text(response)


# -- proposal and confirmation ------------------------------------------------------------------
def test_proposing_over_the_quota_shows_the_error(
    login, scoring_round, principal, committee_member
):
    c = candidates_of(scoring_round)
    score(
        scoring_round,
        committee_member,
        {c["王芳"]: [9, 90], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]},
    )
    response = login(principal).post(
        reverse("backbone:round_propose", args=[scoring_round.pk]),
        {"candidates": [x.pk for x in c.values()]},
    )
    assert response.status_code == 200 and "alert-danger" in text(response)
    assert not scoring_round.candidates.filter(proposed=True).exists()


def test_confirming_before_the_announcement_ends_is_refused(login, announced_round, principal):
    response = login(principal).post(
        reverse("backbone:round_confirm", args=[announced_round.pk]), follow=True
    )
    assert "alert-danger" in text(response)
    assert not Designation.objects.exists()


def test_a_teacher_cannot_apply_outside_the_window(
    login, school, principal, committee_member, teacher_user
):
    round = open_round(
        school=school,
        by=principal,
        committee=[committee_member],
        apply_from=days(2),
        apply_until=days(9),
    )
    client = login(teacher_user)
    page = text(client.get(reverse("backbone:round_apply", args=[round.pk])))
    assert 'name="statement"' not in page
    client.post(reverse("backbone:round_apply", args=[round.pk]), {"statement": "x"})
    assert not Candidate.objects.exists()


def test_a_teacher_withdraws_their_own_application(
    login, school, principal, committee_member, teacher_user
):
    round = open_round(school=school, by=principal, committee=[committee_member])
    candidate = services.candidate_apply(
        round=round, teacher=teacher_user.teacher, statement="x", by=teacher_user
    )
    response = login(teacher_user).post(reverse("backbone:candidate_withdraw", args=[candidate.pk]))
    assert response.url == reverse("backbone:round_apply", args=[round.pk])
    assert reload(candidate).withdrawn


# -- query counts -------------------------------------------------------------------------------
def build_announced_round(*, school, principal, committee, n):
    round = open_round(school=school, by=principal, committee=committee, quota=2)
    teachers = TeacherFactory.create_batch(n, school=school)
    for teacher in teachers:
        services.candidate_nominate(round=round, teacher=teacher, by=principal)
    services.round_close_applications(round=round, by=principal)
    candidates = list(round.candidates.all())
    for member in committee:
        score(round, member, {c: [5 + i % 5, 50 + i] for i, c in enumerate(candidates)})
    services.round_propose(round=round, by=principal)
    services.round_announce(
        round=round, by=principal, announce_from=today(), announce_until=days(5)
    )
    author = user_with_role(Role.TEACHER, school=school)
    proposed = round.candidates.filter(proposed=True).first()
    services.objection_lodge(round=round, author=author, text="x", candidate=proposed)
    return round


def test_round_detail_queries_stay_constant_as_candidates_grow(
    login, school, principal, committee_member, member2, count_queries
):
    committee = [committee_member, member2]
    small = build_announced_round(school=school, principal=principal, committee=committee, n=3)
    large = build_announced_round(school=school, principal=principal, committee=committee, n=15)
    client = login(principal)
    few = count_queries(client, reverse("backbone:round", args=[small.pk]))
    many = count_queries(client, reverse("backbone:round", args=[large.pk]))
    assert few == many
    client = login(committee_member)
    assert count_queries(client, reverse("backbone:round", args=[small.pk])) == count_queries(
        client, reverse("backbone:round", args=[large.pk])
    )


def test_round_list_and_notice_queries_stay_constant_as_rounds_grow(
    login, school, principal, committee_member, count_queries
):
    client = login(principal)
    build_announced_round(school=school, principal=principal, committee=[committee_member], n=2)
    one_list = count_queries(client, reverse("backbone:rounds"))
    one_notice = count_queries(client, reverse("backbone:notices"))
    for _ in range(3):
        build_announced_round(school=school, principal=principal, committee=[committee_member], n=2)
    assert count_queries(client, reverse("backbone:rounds")) == one_list
    assert count_queries(client, reverse("backbone:notices")) == one_notice


def test_the_propose_page_hides_the_ranking_from_a_principal_who_has_not_scored(
    login, school, principal, committee_member, staff
):
    round = open_round(school=school, by=principal, committee=[principal, committee_member])
    wang = services.candidate_nominate(round=round, teacher=staff["wang"], by=principal)
    services.round_close_applications(round=round, by=principal)
    score(round, committee_member, {wang: [7.5, 87.5]})
    body = text(login(principal).get(reverse("backbone:round_propose", args=[round.pk])))
    assert 'id="scores-hidden"' in body
    assert "87.5" not in visible_text(body) and "86" not in visible_text(body)
