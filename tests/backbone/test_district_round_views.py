"""District-run selection in the browser: the district office opens a round with a quota per
school, each school's principal nominates from its reserve pool within its quota, the
committee scores, the 公示 reaches every school of the district, confirmation designates at
each teacher's school; schools recommend upward (推荐上报) and the district takes them in."""

import pytest
from django.urls import reverse

from backbone.models import Candidate, Designation, ReserveEntry, SelectionRound
from backbone.services import rounds as services
from backbone.services.reserve import reserve_add, reserve_recommend
from core.models import Job, Role
from tests.backbone import test_district_rounds as shared
from tests.backbone.test_district_rounds import open_district_round
from tests.backbone.test_rounds_services import days, end_announcement, reload, score, today
from tests.backbone.test_rounds_views import round_form_data
from tests.documents.test_assessment_notice import shot
from tests.documents.test_dossier import download, poppler
from tests.documents.test_selection_notice import print_notice
from tests.factories import SchoolFactory, TeacherFactory, tier, user_with_role
from tests.html import visible_text
from tests.markers import needs_pdf_tools

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# The district fixtures are shared with the service tests.
district = shared.district
district_round = shared.district_round
pools = shared.pools
principal_b = shared.principal_b
school_b = shared.school_b


def text(response) -> str:
    return visible_text(response.content.decode())


def nominate(client, round, *teachers, school=None):
    url = reverse("backbone:round_nominate", args=[round.pk])
    if school is not None:
        url += f"?school={school.pk}"
    return client.post(url, {"teachers": [t.pk for t in teachers]}, follow=True, **EN)


# -- opening ------------------------------------------------------------------------------------
def test_the_district_office_opens_a_round_with_a_quota_per_school_and_an_override(
    login, district, district_office, committee_member, school, school_b
):
    client = login(district_office)
    page = client.get(reverse("backbone:round_new"), **EN)
    assert page.status_code == 200
    body = text(page)
    assert "Open a district selection round" in body
    assert "Nominations per school" in body and school_b.name in body
    data = round_form_data(committee=[district_office, committee_member])
    data.update(
        title="区级骨干教师评选",
        district=district.pk,
        tier=tier(district, "district").pk,
        school_quota="1",
        **{f"quota_school_{school_b.pk}": "3"},
    )
    response = client.post(reverse("backbone:round_new"), data, **EN)
    round = SelectionRound.objects.get()
    assert response.status_code == 302, text(response)
    assert round.is_district and round.district == district and round.school is None
    assert (round.quota_for(school.pk), round.quota_for(school_b.pk)) == (1, 3)
    detail = text(client.get(reverse("backbone:round", args=[round.pk]), **EN))
    assert "Nominations by school" in detail and school_b.name in detail


def test_a_district_round_form_refuses_a_tier_the_school_designates(
    login, district, district_office, committee_member
):
    client = login(district_office)
    # The school tier is not offered: choosing it is refused by the form.
    data = round_form_data(committee=[committee_member])
    data.update(district=district.pk, tier=tier(district, "school").pk, school_quota="1")
    response = client.post(reverse("backbone:round_new"), data, **EN)
    assert response.status_code == 200 and not SelectionRound.objects.exists()
    assert "Choose one of the entries in the list." in text(response)


def test_the_district_committee_is_chosen_from_the_district_only(
    login, district, district_office, committee_member, outsider
):
    client = login(district_office)
    body = text(client.get(reverse("backbone:round_new"), **EN))
    assert "committee" in body and "outsider" not in body


# -- nominating ---------------------------------------------------------------------------------
def test_a_school_nominates_from_its_reserve_pool_within_its_quota(
    login, district_round, pools, principal, school
):
    client = login(principal)
    page = client.get(reverse("backbone:round_nominate", args=[district_round.pk]), **EN)
    body = text(page)
    assert page.status_code == 200
    assert "王芳" in body and "刘洋" in body and "陈静" not in body  # own pool only
    assert "eligible" in body  # eligibility beside each name
    assert "城关第一小学: 0 of 1 nominated" in body
    response = nominate(client, district_round, pools["王芳"], pools["刘洋"])
    body = text(response)
    # By pinyin: 刘洋 comes first and takes the school's only place.
    assert "刘洋 was added as a candidate and meets the rules." in body
    assert "王芳 was not added: 城关第一小学 may nominate 1 candidate to this round." in body
    full = text(client.get(reverse("backbone:round_nominate", args=[district_round.pk]), **EN))
    assert "The school's quota is full" in full
    assert set(district_round.candidates.values_list("teacher__name", flat=True)) == {"刘洋"}


def test_a_teacher_outside_the_reserve_pool_is_not_offered_to_a_district_round(
    login, district_round, pools, principal, school
):
    outside = TeacherFactory(school=school, name="孙丽")
    client = login(principal)
    body = text(client.get(reverse("backbone:round_nominate", args=[district_round.pk]), **EN))
    assert "孙丽" not in body
    response = nominate(client, district_round, outside)
    assert response.status_code == 200 and not district_round.candidates.exists()


def test_a_school_sees_only_its_own_nominees_until_the_announcement(
    login, district_round, pools, principal, principal_b
):
    services.candidate_school_nominate(round=district_round, teacher=pools["王芳"], by=principal)
    services.candidate_school_nominate(round=district_round, teacher=pools["陈静"], by=principal_b)
    page_a = text(login(principal).get(reverse("backbone:round", args=[district_round.pk]), **EN))
    assert "王芳" in page_a and "陈静" not in page_a
    assert "城关第一小学: 1 of 1 nominated" in page_a


def test_another_districts_principal_neither_sees_nor_nominates(
    login, district_round, pools, outsider
):
    client = login(outsider)
    assert client.get(reverse("backbone:round", args=[district_round.pk])).status_code == 404
    url = reverse("backbone:round_nominate", args=[district_round.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"teachers": [pools["王芳"].pk]}).status_code == 404
    assert not district_round.candidates.exists()


def test_a_teacher_and_a_committee_member_cannot_nominate(
    login, district_round, pools, teacher_user, committee_member
):
    url = reverse("backbone:round_nominate", args=[district_round.pk])
    assert login(teacher_user).get(url).status_code in (403, 404)
    assert login(committee_member).post(url, {"teachers": [pools["王芳"].pk]}).status_code == 403
    assert not district_round.candidates.exists()


def test_a_school_cannot_move_the_district_round(login, district_round, pools, principal):
    services.candidate_school_nominate(round=district_round, teacher=pools["王芳"], by=principal)
    response = login(principal).post(reverse("backbone:round_close", args=[district_round.pk]))
    assert response.status_code == 403
    assert reload(district_round).status == SelectionRound.Status.OPEN


# -- scoring, 公示, confirmation ------------------------------------------------------------------
def test_a_district_round_runs_from_scoring_to_designations_at_each_school(
    login,
    district_round,
    pools,
    principal,
    principal_b,
    district_office,
    committee_member,
    school_b,
):
    services.candidate_school_nominate(round=district_round, teacher=pools["王芳"], by=principal)
    services.candidate_school_nominate(round=district_round, teacher=pools["陈静"], by=principal_b)
    office = login(district_office)
    assert office.post(reverse("backbone:round_close", args=[district_round.pk])).status_code == 302
    round = reload(district_round)
    c = {x.teacher.name: x for x in round.candidates.select_related("teacher")}
    # Secret while scoring: a school's principal sees neither scores nor the other nominee.
    page = text(login(principal).get(reverse("backbone:round", args=[round.pk]), **EN))
    assert "Weighted score" not in page and "陈静" not in page
    score(round, committee_member, {c["王芳"]: [9, 90], c["陈静"]: [8, 80]})
    office = login(district_office)
    office.post(reverse("backbone:round_propose", args=[round.pk]), {"default": "1"})
    response = office.post(
        reverse("backbone:round_announce", args=[round.pk]),
        {
            "announce_from": today().isoformat(),
            "announce_until": days(7).isoformat(),
            "notice_contact": "区教师发展中心 张老师 1234567",
        },
    )
    assert response.status_code == 302
    round = reload(round)
    assert round.status == SelectionRound.Status.ANNOUNCED
    # The 公示: a teacher of another school of the district sees it and may object.
    teacher_b = user_with_role(Role.TEACHER, school=school_b, username="teacher_b")
    client = login(teacher_b)
    notices = text(client.get(reverse("backbone:notices"), **EN))
    assert round.title in notices and str(round.district) in notices
    notice = text(client.get(reverse("backbone:notice", args=[round.pk]), **EN))
    assert "王芳" in notice and "陈静" in notice
    assert "城关第一小学" in notice and "城关第二小学" in notice  # each one's school
    response = client.post(
        reverse("backbone:objection_new", args=[round.pk]), {"text": "请核实材料。"}
    )
    assert response.status_code == 302 and round.objections.count() == 1
    # After the 公示 a school sees every nominee.
    page = text(login(principal).get(reverse("backbone:round", args=[round.pk]), **EN))
    assert "陈静" in page
    services.objection_handle(
        objection=round.objections.get(),
        by=district_office,
        outcome="dismissed",
        response="已核实。",
    )
    end_announcement(round)
    office = login(district_office)
    response = office.post(reverse("backbone:round_confirm", args=[round.pk]), follow=True, **EN)
    assert "2 teachers designated" in text(response)
    assert {
        (d.teacher.name, d.teacher.school.name)
        for d in Designation.objects.filter(round=round).select_related("teacher__school")
    } == {("王芳", "城关第一小学"), ("陈静", "城关第二小学")}


def test_a_district_office_member_scores_a_district_round(
    login, district, district_office, pools, principal
):
    round = open_district_round(district=district, by=district_office, committee=[district_office])
    services.candidate_school_nominate(round=round, teacher=pools["王芳"], by=principal)
    services.round_close_applications(round=round, by=district_office)
    page = login(district_office).get(reverse("backbone:round_score", args=[round.pk]), **EN)
    assert page.status_code == 200 and "王芳" in text(page)


# -- upward recommendation (推荐上报) --------------------------------------------------------------
def test_a_school_recommends_from_its_reserve_pool_and_the_district_takes_them_in(
    login, district_round, pools, principal, principal_b, district_office
):
    client = login(principal)
    page = client.get(reverse("backbone:recommendations"), **EN)
    body = text(page)
    assert page.status_code == 200 and "王芳" in body and "陈静" not in body
    entry = ReserveEntry.objects.get(teacher=pools["王芳"])
    response = client.post(
        reverse("backbone:recommendations"),
        {"entries": [entry.pk], "reason": "市级公开课一等奖"},
        follow=True,
        **EN,
    )
    assert "Recommended to the district: 王芳." in text(response)
    reserve_recommend(
        entries=[ReserveEntry.objects.get(teacher=pools["陈静"])], reason="教学突出", by=principal_b
    )
    # The district office sees both, by tier and school, and nominates one into its round.
    office = login(district_office)
    body = text(office.get(reverse("backbone:recommendations"), **EN))
    assert "王芳" in body and "陈静" in body and "市级公开课一等奖" in body
    assert "城关第一小学" in body and "城关第二小学" in body
    assert f"Nominate to {district_round.title}" in body
    response = office.post(
        reverse("backbone:round_take_recommendation", args=[district_round.pk]),
        {"entry": entry.pk},
        follow=True,
        **EN,
    )
    assert "王芳 was added as a candidate" in text(response)
    candidate = district_round.candidates.get()
    assert candidate.teacher == pools["王芳"] and candidate.source == Candidate.Source.RESERVE
    assert f"candidate in {district_round.title}" in text(response)
    # The other school sees only its own recommendation.
    body_b = text(login(principal_b).get(reverse("backbone:recommendations"), **EN))
    assert "陈静" in body_b and "王芳" not in body_b


def test_taking_a_recommendation_respects_the_schools_quota(
    login, district_round, pools, principal, district_office
):
    entries = list(ReserveEntry.objects.filter(teacher__in=[pools["王芳"], pools["刘洋"]]))
    reserve_recommend(entries=entries, reason="教学突出", by=principal)
    office = login(district_office)
    url = reverse("backbone:round_take_recommendation", args=[district_round.pk])
    for entry in entries:
        response = office.post(url, {"entry": entry.pk}, follow=True, **EN)
    assert "may nominate 1 candidate" in text(response)
    assert district_round.candidates.count() == 1


def test_a_school_principal_cannot_take_recommendations_into_the_district_round(
    login, district_round, pools, principal
):
    entry = ReserveEntry.objects.get(teacher=pools["王芳"])
    reserve_recommend(entries=[entry], reason="教学突出", by=principal)
    response = login(principal).post(
        reverse("backbone:round_take_recommendation", args=[district_round.pk]), {"entry": entry.pk}
    )
    assert response.status_code == 403 and not district_round.candidates.exists()


def test_another_district_sees_no_recommendation(login, district_round, pools, principal, outsider):
    entry = ReserveEntry.objects.get(teacher=pools["王芳"])
    reserve_recommend(entries=[entry], reason="教学突出", by=principal)
    body = text(login(outsider).get(reverse("backbone:recommendations"), **EN))
    assert "王芳" not in body and "No recommendation yet." in body


def test_a_teacher_has_no_recommendations_page(login, teacher_user):
    assert login(teacher_user).get(reverse("backbone:recommendations")).status_code == 404


# -- both languages and query counts -------------------------------------------------------------
def test_the_nomination_page_reads_in_chinese_by_default(login, district_round, pools, principal):
    body = text(login(principal).get(reverse("backbone:round_nominate", args=[district_round.pk])))
    assert "王芳" in body
    assert "Nominate" not in body and "reserve pool" not in body


def _more_schools(in_district, n, district_tier):
    for i in range(n):
        sch = SchoolFactory(code=f"Q{n}{i:02d}", name=f"测试学校{n}-{i}", district=in_district)
        by = user_with_role(Role.PRINCIPAL, school=sch, username=f"p{n}_{i}")
        teacher = TeacherFactory(school=sch, name=f"教师{n}{i}")
        entry = reserve_add(teacher=teacher, tier=district_tier, reason="教学突出", by=by)
        reserve_recommend(entries=[entry], reason="推荐", by=by)
        if i % 2 == 0:
            services.candidate_school_nominate(
                round=district_round_of(in_district), teacher=teacher, by=by
            )


def district_round_of(in_district):
    return SelectionRound.objects.get(district=in_district, school__isnull=True)


@pytest.mark.parametrize("page", ["round", "recommendations"])
def test_district_round_pages_cost_the_same_with_more_schools(
    login, district_round, district_office, district, count_queries, page
):
    district_tier = tier(district, "district")
    url = (
        reverse("backbone:round", args=[district_round.pk])
        if page == "round"
        else reverse("backbone:recommendations")
    )
    client = login(district_office)
    _more_schools(district, 2, district_tier)
    few = count_queries(client, url)
    _more_schools(district, 8, district_tier)
    assert count_queries(client, url) == few


def test_a_school_withdraws_its_own_nominee_to_free_its_place(
    login, district_round, pools, principal, principal_b
):
    first = services.candidate_school_nominate(
        round=district_round, teacher=pools["王芳"], by=principal
    )
    url = reverse("backbone:candidate_withdraw", args=[first.pk])
    # Another school of the district cannot take it out.
    assert login(principal_b).post(url).status_code == 403
    assert not reload(first).withdrawn
    client = login(principal)
    response = client.post(url, follow=True, **EN)
    assert "王芳 was withdrawn from the round." in text(response)
    response = nominate(client, district_round, pools["刘洋"])
    assert "刘洋 was added as a candidate" in text(response)
    active = district_round.candidates.filter(withdrawn=False)
    assert set(active.values_list("teacher__name", flat=True)) == {"刘洋"}


@needs_pdf_tools
def test_the_district_office_prints_the_notice_of_its_round_under_its_own_name(
    login, district_round, pools, principal, principal_b, district_office, committee_member,
    django_capture_on_commit_callbacks, tmp_path,
):  # fmt: skip
    services.candidate_school_nominate(round=district_round, teacher=pools["王芳"], by=principal)
    services.candidate_school_nominate(round=district_round, teacher=pools["陈静"], by=principal_b)
    services.round_close_applications(round=district_round, by=district_office)
    round = reload(district_round)
    c = {x.teacher.name: x for x in round.candidates.select_related("teacher")}
    score(round, committee_member, {c["王芳"]: [9, 90], c["陈静"]: [8, 80]})
    services.round_propose(round=round, by=district_office)
    services.round_announce(
        round=round, by=district_office, announce_from=today(), announce_until=days(7),
        notice_contact="区教师发展中心 张老师 0591-7654321",
    )  # fmt: skip
    client = login(district_office)
    job = print_notice(client, reload(round), django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    data = download(client, job)
    shot(data, "district-round-notice")
    words = " ".join(poppler("pdftotext", data, tmp_path).split())
    assert str(round.district) in words and "王芳" in words and "陈静" in words
    assert "城关第二小学" in words  # each teacher's school beside the name
    assert "90.00" not in words
    assert job.file.name.rsplit("/", 1)[-1].startswith(f"{round.district}_")


def test_a_recusal_does_not_name_another_schools_nominee_before_the_notice(
    login, district_round, pools, principal, principal_b, district_office, committee_member
):
    services.candidate_school_nominate(round=district_round, teacher=pools["王芳"], by=principal)
    other = services.candidate_school_nominate(
        round=district_round, teacher=pools["陈静"], by=principal_b
    )
    services.round_member_recuse(
        round=district_round,
        by=district_office,
        member=committee_member,
        reason="亲属关系",
        candidates=[other],
    )
    url = reverse("backbone:round_recusal", args=[district_round.pk])
    assert "陈静" not in text(login(principal).get(url, **EN))
    assert "陈静" in text(login(principal_b).get(url, **EN))
    assert "陈静" in text(login(district_office).get(url, **EN))
