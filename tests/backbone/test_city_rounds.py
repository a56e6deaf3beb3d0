"""City-run municipal rounds (市级骨干教师评选): the city office opens a round for the
municipal tier with a quota per district, each district office of the city nominates from its
schools' reserve pools, the committee scores, the 公示 reaches every school of the city, and
confirmation designates each teacher at their own school with their own district's tier."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from backbone.models import (
    Designation,
    EligibilityRuleSet,
    ReserveEntry,
    SelectionRound,
    Tier,
    school_year_start,
)
from backbone.selectors import rounds as selectors
from backbone.services import rounds as services
from backbone.services.reserve import reserve_add
from core.models import Role
from tests.backbone.test_rounds_services import CRITERIA, days, end_announcement, reload, score
from tests.backbone.test_rounds_services import today as today_
from tests.factories import (
    CityFactory,
    DistrictFactory,
    SchoolFactory,
    TeacherFactory,
    tier,
    user_with_role,
)


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def municipal(district):
    rules = tier(district, "municipal")
    EligibilityRuleSet.objects.filter(tier=rules, school=None).delete()
    EligibilityRuleSet.objects.create(tier=rules, school=None, min_years_teaching=5)
    return rules


@pytest.fixture
def city(school, other_school):
    city = CityFactory(code="FZ", name="福州市教育局")
    school.district.city = city
    school.district.save(update_fields=["city"])
    other_school.district.city = CityFactory(code="XM", name="厦门市教育局")
    other_school.district.save(update_fields=["city"])
    municipal(school.district)
    return city


@pytest.fixture
def district_b(city):
    district = DistrictFactory(code="D-B", name="台江区教育局", city=city)
    municipal(district)
    return district


@pytest.fixture
def school_b(district_b):
    return SchoolFactory(code="B101", name="台江第一小学", district=district_b)


@pytest.fixture
def city_office(city):
    return user_with_role(Role.CITY_OFFICE, city=city, username="city")


@pytest.fixture
def office_b(district_b):
    return user_with_role(Role.DISTRICT_OFFICE, district=district_b, username="district_b")


@pytest.fixture
def other_office(other_school):
    return user_with_role(Role.DISTRICT_OFFICE, district=other_school.district, username="xm")


@pytest.fixture
def pools(school, school_b, principal):
    """Teachers in each district's school's reserve pool for their own municipal tier."""
    principal_b = user_with_role(Role.PRINCIPAL, school=school_b, username="principal_b")
    out = {}
    for sch, by, names in (
        (school, principal, ("王芳", "刘洋")),
        (school_b, principal_b, ("陈静", "赵磊")),
    ):
        for name in names:
            teacher = TeacherFactory(school=sch, name=name)
            reserve_add(teacher=teacher, tier=tier(sch.district, "municipal"), reason="突出", by=by)
            out[name] = teacher
    return out


def open_city_round(*, city, by, committee, district_quota=1, **extra):
    district = city.districts.order_by("code").first()
    kwargs = {
        "city": city,
        "tier": tier(district, "municipal"),
        "title": "市级骨干教师评选",
        "year": school_year_start(today_()),
        "quota": 2,
        "district_quota": district_quota,
        "apply_from": today_(),
        "apply_until": days(7),
        "criteria": CRITERIA,
        "committee": committee,
        "by": by,
    }
    return services.city_round_open(**{**kwargs, **extra})


@pytest.fixture
def city_round(city, city_office, committee_member, district_b):
    return open_city_round(city=city, by=city_office, committee=[committee_member])


def test_the_city_office_opens_a_round_only_for_the_municipal_tier(
    city, city_office, committee_member, school
):
    round = open_city_round(city=city, by=city_office, committee=[committee_member])
    assert round.is_city and not round.is_district and round.district is None
    assert round.organiser_label == "福州市教育局"
    assert round.panel.city == city
    with pytest.raises(ValidationError) as exc:
        open_city_round(
            city=city,
            by=city_office,
            committee=[committee_member],
            tier=tier(school.district, "district"),
        )
    assert "tier" in exc.value.message_dict


def test_only_the_city_office_opens_a_city_round(
    city, district_office, other_office, committee_member
):
    for user in (district_office, other_office):
        with pytest.raises(PermissionDenied):
            open_city_round(city=city, by=user, committee=[committee_member])


def test_a_round_with_two_organisers_is_refused_by_the_database(city_round, school):
    with pytest.raises(IntegrityError), transaction.atomic():
        SelectionRound.objects.filter(pk=city_round.pk).update(district=school.district)


def test_districts_nominate_within_their_quota_and_another_citys_district_cannot(
    city_round, pools, district_office, office_b, other_office, other_school
):
    services.candidate_district_nominate(
        round=city_round, teacher=pools["王芳"], by=district_office
    )
    services.candidate_district_nominate(round=city_round, teacher=pools["陈静"], by=office_b)
    with pytest.raises(ValidationError) as exc:
        services.candidate_district_nominate(
            round=city_round, teacher=pools["刘洋"], by=district_office
        )
    assert "may nominate 1 candidate" in exc.value.messages[0]
    with pytest.raises(PermissionDenied):  # another district's teacher
        services.candidate_district_nominate(
            round=city_round, teacher=pools["赵磊"], by=district_office
        )
    stranger = TeacherFactory(school=other_school, name="外人")
    with pytest.raises(PermissionDenied):
        services.candidate_district_nominate(round=city_round, teacher=stranger, by=other_office)
    assert not SelectionRound.objects.visible_to(other_office).filter(pk=city_round.pk).exists()
    assert set(city_round.candidates.values_list("teacher__name", flat=True)) == {"王芳", "陈静"}


def test_a_district_listed_with_its_own_quota_nominates_that_many(
    city, city_office, committee_member, school, pools, district_office, district_b
):
    round = open_city_round(
        city=city,
        by=city_office,
        committee=[committee_member],
        district_quotas={school.district: 2},
    )
    assert round.quota_for_district(school.district_id) == 2
    assert round.quota_for_district(district_b.pk) == 1
    added, refused = services.candidates_district_nominate(
        round=round,
        district=school.district,
        teachers=[pools["王芳"], pools["刘洋"], pools["陈静"]],
        by=district_office,
    )
    assert {c.teacher.name for c in added} == {"王芳", "刘洋"}
    assert list(refused) == [pools["陈静"]]
    rows = {
        d.name: (quota, taken) for d, quota, taken in selectors.district_quota_rows(round=round)
    }
    assert rows[school.district.name] == (2, 2) and rows["台江区教育局"] == (1, 0)


def test_a_district_office_withdraws_its_own_nominee_only(
    city_round, pools, district_office, office_b
):
    mine = services.candidate_district_nominate(
        round=city_round, teacher=pools["王芳"], by=district_office
    )
    with pytest.raises(PermissionDenied):
        services.candidate_withdraw(candidate=mine, by=office_b)
    services.candidate_withdraw(candidate=mine, by=district_office)
    assert reload(mine).withdrawn
    # The place is free again.
    services.candidate_district_nominate(
        round=city_round, teacher=pools["刘洋"], by=district_office
    )


def test_a_district_nominates_a_teacher_its_school_recommended(
    city_round, pools, principal, district_office, school
):
    entry = ReserveEntry.objects.current().get(teacher=pools["王芳"])
    ReserveEntry.objects.filter(pk=entry.pk).update(
        recommended_at=timezone.now(), recommendation="教学成绩突出", recommended_by=principal
    )
    candidate = services.recommendation_nominate(
        round=city_round, entry=reload(entry), by=district_office
    )
    assert candidate.statement == "教学成绩突出"


def test_a_district_sees_only_its_own_nominees_until_the_announcement(
    city_round, pools, district_office, office_b, city_office
):
    services.candidate_district_nominate(
        round=city_round, teacher=pools["王芳"], by=district_office
    )
    services.candidate_district_nominate(round=city_round, teacher=pools["陈静"], by=office_b)
    seen = {
        who: set(
            selectors.round_candidates(user=user, round=city_round).values_list(
                "teacher__name", flat=True
            )
        )
        for who, user in (("a", district_office), ("b", office_b), ("city", city_office))
    }
    assert seen == {"a": {"王芳"}, "b": {"陈静"}, "city": {"王芳", "陈静"}}


def test_a_city_round_runs_to_designations_with_each_teachers_own_district_tier(
    city_round, pools, district_office, office_b, city_office, committee_member, school_b,
    outsider, school,
):  # fmt: skip
    services.candidate_district_nominate(
        round=city_round, teacher=pools["王芳"], by=district_office
    )
    services.candidate_district_nominate(round=city_round, teacher=pools["陈静"], by=office_b)
    with pytest.raises(PermissionDenied):
        services.round_close_applications(round=city_round, by=district_office)
    services.round_close_applications(round=city_round, by=city_office)
    round = reload(city_round)
    c = {x.teacher.name: x for x in round.candidates.select_related("teacher")}
    assert all(x.is_eligible for x in c.values()), [x.eligibility_summary for x in c.values()]
    assert not selectors.can_see_scores(district_office, round)
    score(round, committee_member, {c["王芳"]: [9, 90], c["陈静"]: [8, 80]})
    services.round_propose(round=round, by=city_office)
    services.round_announce(
        round=round, by=city_office, announce_from=today_(), announce_until=days(5)
    )
    teacher_b = user_with_role(Role.TEACHER, school=school_b, username="teacher_b")
    for user in (teacher_b, district_office, office_b, city_office):
        assert selectors.notice_list(user=user).filter(pk=round.pk).exists()
        assert selectors.is_round_staff(user, round)
    assert not selectors.notice_list(user=outsider).filter(pk=round.pk).exists()
    assert not selectors.is_round_staff(outsider, round)
    assert set(
        selectors.round_candidates(user=district_office, round=reload(round)).values_list(
            "teacher__name", flat=True
        )
    ) == {"王芳", "陈静"}
    services.objection_lodge(round=round, author=teacher_b, text="请核实材料。")
    services.objection_handle(
        objection=round.objections.get(), by=city_office, outcome="dismissed", response="已核实。"
    )
    end_announcement(round)
    created = services.round_confirm(round=round, by=city_office)
    again = services.round_confirm(round=reload(round), by=city_office)
    assert sorted(d.pk for d in created) == sorted(d.pk for d in again)
    designations = Designation.objects.filter(round=round).select_related("teacher__school", "tier")
    assert {(d.teacher.name, d.teacher.school.name, d.tier.district_id) for d in designations} == {
        ("王芳", school.name, school.district_id),
        ("陈静", "台江第一小学", school_b.district_id),
    }
    assert {d.designated_by for d in designations} == {"福州市教育局"}
    assert not ReserveEntry.objects.current().filter(teacher=pools["王芳"]).exists()


def test_confirmation_is_refused_when_a_teachers_district_has_no_such_tier(
    city_round, pools, district_office, office_b, city_office, committee_member, district_b
):
    services.candidate_district_nominate(
        round=city_round, teacher=pools["王芳"], by=district_office
    )
    services.candidate_district_nominate(round=city_round, teacher=pools["陈静"], by=office_b)
    services.round_close_applications(round=city_round, by=city_office)
    round = reload(city_round)
    c = {x.teacher.name: x for x in round.candidates.select_related("teacher")}
    score(round, committee_member, {c["王芳"]: [9, 90], c["陈静"]: [8, 80]})
    services.round_propose(round=round, by=city_office)
    services.round_announce(
        round=round, by=city_office, announce_from=today_(), announce_until=days(5)
    )
    end_announcement(round)
    # The district that is not the round's tier's has none of that code any more.
    teacher = pools["王芳"] if round.tier.district_id == district_b.pk else pools["陈静"]
    Tier.objects.filter(district=teacher.school.district, code="municipal").update(code="old")
    with pytest.raises(ValidationError) as exc:
        services.round_confirm(round=round, by=city_office)
    assert teacher.name in exc.value.messages[0] and "no tier" in exc.value.messages[0]
    assert reload(round).status == SelectionRound.Status.ANNOUNCED


# -- pages ---------------------------------------------------------------------------------------
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _text(response) -> str:
    from tests.html import visible_text

    return visible_text(response.content.decode())


def test_the_city_office_opens_a_round_from_the_rounds_page(
    login, city, city_office, committee_member, school, district_b
):
    from django.urls import reverse

    from tests.backbone.test_rounds_views import round_form_data

    client = login(city_office)
    listing = _text(client.get(reverse("backbone:rounds"), **EN))
    assert "Open a round" in listing
    home = client.get(reverse("home"), **EN).content.decode()
    assert reverse("backbone:rounds") in home and reverse("backbone:notices") in home
    page = client.get(reverse("backbone:round_new"), **EN)
    body = _text(page)
    assert "Open a municipal selection round" in body and "台江区教育局" in body
    data = round_form_data(committee=[city_office, committee_member])
    data.update(
        title="市级骨干教师评选",
        city=city.pk,
        tier=page.context["form"].fields["tier"].queryset.get().pk,
        district_quota="1",
        **{f"quota_district_{district_b.pk}": "3"},
    )
    response = client.post(reverse("backbone:round_new"), data, **EN)
    assert response.status_code == 302, _text(response)
    round = SelectionRound.objects.get()
    assert round.is_city and round.city == city
    assert round.quota_for_district(school.district_id) == 1
    assert round.quota_for_district(district_b.pk) == 3
    detail = _text(client.get(reverse("backbone:round", args=[round.pk]), **EN))
    assert "Nominations by district" in detail and "台江区教育局" in detail


def test_a_district_office_nominates_on_the_page_within_its_quota(
    login, city_round, pools, district_office, office_b, other_office
):
    from django.urls import reverse

    url = reverse("backbone:round_nominate", args=[city_round.pk])
    client = login(district_office)
    page = client.get(url, **EN)
    assert page.status_code == 200
    body = _text(page)
    assert "王芳" in body and "陈静" not in body
    response = client.post(
        url, {"teachers": [pools["王芳"].pk, pools["刘洋"].pk]}, follow=True, **EN
    )
    assert "may nominate 1 candidate" in _text(response)
    assert city_round.candidates.count() == 1
    # The other district sees neither the nominee nor the first district's schools.
    detail = _text(login(office_b).get(reverse("backbone:round", args=[city_round.pk]), **EN))
    assert "王芳" not in detail and "刘洋" not in detail
    # Another city's district does not find the round.
    assert login(other_office).get(url, **EN).status_code == 404
    assert (
        login(other_office).get(reverse("backbone:round", args=[city_round.pk])).status_code == 404
    )


def test_the_nomination_page_costs_the_same_as_nominees_grow(
    login, city_round, school, principal, district_office, count_queries
):
    from django.urls import reverse

    url = reverse("backbone:round_nominate", args=[city_round.pk])
    municipal_tier = tier(school.district, "municipal")
    SelectionRound.objects.filter(pk=city_round.pk).update(district_quota=50)

    def grow(n):
        for _i in range(n):
            nominee, spare = TeacherFactory(school=school), TeacherFactory(school=school)
            for teacher in (nominee, spare):
                reserve_add(teacher=teacher, tier=municipal_tier, reason="突出", by=principal)
            services.candidate_district_nominate(
                round=city_round, teacher=nominee, by=district_office
            )

    client = login(district_office)
    grow(1)
    small = count_queries(client, url)
    grow(6)
    assert count_queries(client, url) <= small


def test_the_city_notice_is_read_in_every_school_of_the_city_and_not_in_another_city(
    login, city_round, pools, district_office, office_b, city_office, committee_member, school_b,
    outsider,
):  # fmt: skip
    from django.urls import reverse

    services.candidate_district_nominate(
        round=city_round, teacher=pools["王芳"], by=district_office
    )
    services.candidate_district_nominate(round=city_round, teacher=pools["陈静"], by=office_b)
    services.round_close_applications(round=city_round, by=city_office)
    round = reload(city_round)
    c = {x.teacher.name: x for x in round.candidates.select_related("teacher")}
    score(round, committee_member, {c["王芳"]: [9, 90], c["陈静"]: [8, 80]})
    services.round_propose(round=round, by=city_office)
    services.round_announce(
        round=round, by=city_office, announce_from=today_(), announce_until=days(5)
    )
    teacher_b = user_with_role(Role.TEACHER, school=school_b, username="teacher_b")
    notice = reverse("backbone:notice", args=[round.pk])
    body = _text(login(teacher_b).get(notice, **EN))
    assert "王芳" in body and "陈静" in body and "福州市教育局" in body
    assert login(outsider).get(notice).status_code == 404
    services.objection_lodge(round=round, author=teacher_b, text="请核实材料。")
    handle = reverse("backbone:objection_handle", args=[round.objections.get().pk])
    assert login(office_b).get(handle).status_code == 403  # read only for a district office
    client = login(city_office)
    response = client.post(handle, {"outcome": "dismissed", "response": "已核实。"})
    assert response.status_code == 302
    end_announcement(round)
    response = client.post(reverse("backbone:round_confirm", args=[round.pk]))
    assert response.status_code == 302
    assert Designation.objects.filter(round=round).count() == 2
