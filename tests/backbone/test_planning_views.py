import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from assessment.models import AnnualGrade, Grade
from backbone.models import EligibilityRuleSet, ReserveEntry, SelectionRound, Target
from backbone.selectors.planning import school_dashboard, target_overview
from core.models import Role, RoleAssignment, school_year_start
from teachers.models import Title
from tests.factories import (
    DesignationFactory,
    SchoolFactory,
    TeacherFactory,
    tier,
)

TODAY = timezone.localdate()
CURRENT = school_year_start(TODAY)


@pytest.fixture
def en(login):
    """A signed-in client that reads the pages in English."""

    def _login(user):
        client = login(user)
        client.cookies["django_language"] = "en"
        return client

    return _login


def label(year: int) -> str:
    return f"{year}–{year + 1}"


# -- eligibility rules ---------------------------------------------------------------------------
def test_rules_page_explains_each_tiers_rules_and_their_source(en, principal, school):
    body = en(principal).get(reverse("backbone:rules")).content.decode()
    # The district defaults for the school tier, in words.
    assert (
        "at least 5 years of teaching; education College (大专) or above; "
        "title Second-grade teacher (二级教师) or above"
    ) in body
    assert "District default" in body and "s own rules" not in body
    EligibilityRuleSet.objects.create(
        tier=tier(school.district), school=school, min_years_teaching=3
    )
    body = en(principal).get(reverse("backbone:rules")).content.decode()
    assert "s own rules" in body and "at least 3 years of teaching" in body


def test_rules_page_shows_no_other_school(en, outsider, school):
    EligibilityRuleSet.objects.create(
        tier=tier(school.district), school=school, min_years_teaching=3
    )
    body = en(outsider).get(reverse("backbone:rules")).content.decode()
    assert "城关第一小学" not in body and "at least 3 years" not in body
    assert "河西中学" in body


def test_district_office_sees_district_rules_and_school_overrides(en, district_office, school):
    EligibilityRuleSet.objects.create(
        tier=tier(school.district), school=school, min_years_teaching=3
    )
    body = en(district_office).get(reverse("backbone:rules")).content.decode()
    assert "District rules" in body
    assert "城关第一小学" in body and "at least 3 years of teaching" in body


@pytest.mark.parametrize(
    ("who", "school_tier", "district_tier"),
    [
        ("principal", 200, 403),
        ("training_office", 200, 403),
        ("committee_member", 403, 403),
        ("district_office", 200, 200),
        ("outsider", 404, 404),
        ("teacher_user", 404, 404),
    ],
)
def test_who_may_edit_which_rules(request, login, school, who, school_tier, district_tier):
    client = login(request.getfixturevalue(who))
    for code, expected in (("school", school_tier), ("district", district_tier)):
        url = reverse("backbone:rules_edit", args=[tier(school.district, code).pk])
        assert client.get(url).status_code == expected, code


def test_principal_sets_and_resets_the_schools_own_rules(login, principal, school):
    school_tier = tier(school.district)
    url = reverse("backbone:rules_edit", args=[school_tier.pk])
    client = login(principal)
    response = client.post(url, {"min_years_teaching": "3", "min_title": str(Title.FIRST)})
    assert response.status_code == 302
    own = EligibilityRuleSet.objects.get(tier=school_tier, school=school)
    assert own.min_years_teaching == 3 and own.min_title == Title.FIRST
    assert own.min_education is None and own.updated_by == principal
    default = EligibilityRuleSet.objects.get(tier=school_tier, school=None)
    assert default.min_years_teaching == 5  # the district default is untouched
    client.post(url, {"reset": "1"})
    assert not EligibilityRuleSet.objects.filter(tier=school_tier, school=school).exists()


def test_district_office_edits_the_district_rules(login, district_office, school):
    municipal = tier(school.district, "municipal")
    response = login(district_office).post(
        reverse("backbone:rules_edit", args=[municipal.pk]),
        {"min_years_teaching": "12", "requires_tier_below": "on"},
    )
    assert response.status_code == 302
    rules = EligibilityRuleSet.objects.get(tier=municipal, school=None)
    assert rules.min_years_teaching == 12 and rules.requires_tier_below
    assert rules.min_education is None and rules.updated_by == district_office


def test_committee_cannot_change_rules(login, committee_member, school):
    school_tier = tier(school.district)
    response = login(committee_member).post(
        reverse("backbone:rules_edit", args=[school_tier.pk]), {"min_years_teaching": "1"}
    )
    assert response.status_code == 403
    assert not EligibilityRuleSet.objects.filter(school=school).exists()


def test_inconsistent_rules_are_shown_as_form_errors(en, principal, school):
    response = en(principal).post(
        reverse("backbone:rules_edit", args=[tier(school.district).pk]),
        {"min_years_teaching": "5", "max_years_teaching": "2"},
    )
    assert response.status_code == 200
    assert "cannot be below the minimum" in response.content.decode()


# -- eligibility overview ------------------------------------------------------------------------
@pytest.fixture
def candidates(school, other_school):
    ready = TeacherFactory(school=school, name="王芳", title=Title.FIRST)
    junior = TeacherFactory(
        school=school, name="刘洋", career_start=datetime.date(TODAY.year - 2, 1, 1)
    )
    TeacherFactory(school=other_school, name="赵敏")
    return ready, junior


def test_eligibility_page_explains_each_teacher(en, principal, candidates):
    response = en(principal).get(reverse("backbone:eligibility"))
    body = response.content.decode()
    assert "王芳" in body and "刘洋" in body and "赵敏" not in body
    assert "4 of 4 rules met" in body
    assert "3 of 4 rules met — 2 years of teaching, 5 required" in body
    assert response.context["counts"] == {"total": 2, "eligible": 1, "not_eligible": 1}
    assert response.context["tier_code"] == "school"


def test_eligibility_page_filters_eligible_and_not(en, principal, candidates):
    client = en(principal)
    body = client.get(reverse("backbone:eligibility"), {"status": "eligible"}).content.decode()
    assert "王芳" in body and "刘洋" not in body
    body = client.get(reverse("backbone:eligibility"), {"status": "not_eligible"}).content.decode()
    assert "刘洋" in body and "王芳" not in body


def test_eligibility_page_for_another_tier(en, principal, candidates):
    response = en(principal).get(reverse("backbone:eligibility"), {"tier": "municipal"})
    assert response.context["tier_code"] == "municipal"
    assert "currently hold" in response.content.decode()


def test_eligibility_page_is_not_for_teachers_or_other_schools(
    login, teacher_user, outsider, school
):
    assert login(teacher_user).get(reverse("backbone:eligibility")).status_code == 404
    response = login(outsider).get(reverse("backbone:eligibility"), {"school": school.pk})
    assert response.status_code == 404


def test_eligibility_page_query_count_does_not_grow_with_teachers(
    login, principal, school, count_queries
):
    client = login(principal)
    url = reverse("backbone:eligibility")

    def add(n):
        for t in TeacherFactory.create_batch(n, school=school):
            DesignationFactory(
                teacher=t,
                tier=tier(school.district, "district"),
                first_year=CURRENT,
                last_year=CURRENT + 2,
            )
            AnnualGrade.objects.create(teacher=t, year=CURRENT - 1, grade=Grade.GOOD)

    add(5)
    small = count_queries(client, url, {"tier": "municipal"})
    add(35)
    large = count_queries(client, url, {"tier": "municipal"})
    assert small == large
    response = client.get(url, {"tier": "municipal"})
    assert len(response.context["page"].object_list) == 25


# -- annual grades -------------------------------------------------------------------------------
def test_training_office_records_grades_for_a_year(login, training_office, school, other_school):
    a, b = TeacherFactory.create_batch(2, school=school)
    stranger = TeacherFactory(school=other_school)
    year = CURRENT - 1
    url = reverse("backbone:grades") + f"?school={school.pk}&year={year}"
    client = login(training_office)
    page = client.get(url)
    assert page.status_code == 200 and stranger.name not in page.content.decode()
    response = client.post(url, {f"t{a.pk}": str(Grade.EXCELLENT), f"t{b.pk}": ""})
    assert response.status_code == 302
    saved = AnnualGrade.objects.get(teacher=a, year=year)
    assert saved.grade == Grade.EXCELLENT and saved.recorded_by == training_office
    assert not AnnualGrade.objects.filter(teacher=b).exists()
    client.post(url, {f"t{a.pk}": str(Grade.GOOD), f"t{b.pk}": str(Grade.QUALIFIED)})
    assert dict(AnnualGrade.objects.filter(year=year).values_list("teacher_id", "grade")) == {
        a.pk: Grade.GOOD,
        b.pk: Grade.QUALIFIED,
    }


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("principal", 200, 302),
        ("committee_member", 200, 403),
        ("district_office", 200, 403),
        ("outsider", 404, 404),
        ("teacher_user", 404, 404),
    ],
)
def test_grades_page_permissions(request, login, school, who, read, write):
    teacher = TeacherFactory(school=school)
    client = login(request.getfixturevalue(who))
    url = reverse("backbone:grades") + f"?school={school.pk}"
    response = client.get(url)
    assert response.status_code == read
    if read == 200:
        assert ("disabled" in response.content.decode()) == (write == 403)
    assert client.post(url, {f"t{teacher.pk}": "3"}).status_code == write
    assert AnnualGrade.objects.exists() == (write == 302)


# -- targets -------------------------------------------------------------------------------------
@pytest.fixture
def history(school):
    """Designations of the school tier held at different times."""
    school_tier = tier(school.district)
    current = DesignationFactory(
        teacher=TeacherFactory(school=school), first_year=CURRENT - 1, last_year=CURRENT + 1
    )
    ending = DesignationFactory(
        teacher=TeacherFactory(school=school), first_year=CURRENT - 1, last_year=CURRENT
    )
    # Revoked in the middle of CURRENT-2: held at the end of CURRENT-3 only.
    revoked = DesignationFactory(
        teacher=TeacherFactory(school=school),
        first_year=CURRENT - 3,
        last_year=CURRENT - 1,
        status="revoked",
        closed_on=datetime.date(CURRENT - 1, 3, 1),
    )
    # Ran its full term and expired afterwards.
    expired = DesignationFactory(
        teacher=TeacherFactory(school=school),
        first_year=CURRENT - 4,
        last_year=CURRENT - 3,
        status="expired",
        closed_on=datetime.date(CURRENT - 2, 9, 1),
    )
    return {
        "tier": school_tier,
        "current": current,
        "ending": ending,
        "revoked": revoked,
        "expired": expired,
    }


def test_actual_against_target_counts_designations_in_the_years_they_were_held(school, history):
    Target.objects.create(school=school, tier=history["tier"], by_year=CURRENT + 2, count=5)
    overview = target_overview(school=school)
    assert overview["years"] == list(range(CURRENT - 4, CURRENT + 3))
    row = next(r for r in overview["rows"] if r.tier == history["tier"])
    actual = {c["year"]: c["actual"] for c in row.cells}
    assert actual == {
        CURRENT - 4: 1,  # expired
        CURRENT - 3: 2,  # expired, revoked
        CURRENT - 2: 0,  # revoked before the year ended
        CURRENT - 1: 2,  # current, ending
        CURRENT: 2,
        CURRENT + 1: 1,  # projected: only the term that still runs
        CURRENT + 2: 0,
    }
    targets = {c["year"]: c["target"] for c in row.cells}
    assert targets[CURRENT + 2] == 5 and targets[CURRENT] is None


def test_a_revoked_current_designation_no_longer_counts_this_year(school, history):
    history["current"].status = "revoked"
    history["current"].closed_on = TODAY
    history["current"].save()
    row = next(r for r in target_overview(school=school)["rows"] if r.tier == history["tier"])
    actual = {c["year"]: c["actual"] for c in row.cells}
    assert actual[CURRENT] == 1 and actual[CURRENT - 1] == 2


def test_district_targets_page_adds_up_its_schools(
    en, district_office, school, other_school, history
):
    sibling = SchoolFactory(district=school.district, name="城关第二小学")
    DesignationFactory(
        teacher=TeacherFactory(school=sibling), first_year=CURRENT, last_year=CURRENT + 1
    )
    DesignationFactory(
        teacher=TeacherFactory(school=other_school), first_year=CURRENT, last_year=CURRENT + 1
    )
    Target.objects.create(
        district=school.district, tier=history["tier"], by_year=CURRENT + 1, count=10
    )
    Target.objects.create(school=school, tier=history["tier"], by_year=CURRENT + 1, count=4)
    Target.objects.create(school=sibling, tier=history["tier"], by_year=CURRENT + 1, count=3)
    response = en(district_office).get(reverse("backbone:targets"))
    assert response.status_code == 200
    assert response.context["district"] == school.district
    row = next(r for r in response.context["overview"]["rows"] if r.tier == history["tier"])
    cells = {c["year"]: c for c in row.cells}
    assert cells[CURRENT]["actual"] == 3  # two at the school, one at its sibling
    assert cells[CURRENT + 1]["target"] == 10 and cells[CURRENT + 1]["schools_target"] == 7
    body = response.content.decode()
    assert '<script id="target-chart-data" type="application/json">' in body
    data = response.context["chart"]
    tier_data = next(t for t in data["tiers"] if t["label"] == history["tier"].label)
    assert tier_data["actual"][data["labels"].index(label(CURRENT))] == 3
    assert "vendor/chart.js/chart.umd.js" in body and "js/charts.js" in body


def test_principal_records_edits_and_deletes_a_plan(login, principal, school):
    tiers = {code: tier(school.district, code) for code in ("school", "district", "municipal")}
    client = login(principal)
    owner = f"?school={school.pk}"
    response = client.post(
        reverse("backbone:target_create") + owner,
        {
            "by_year": CURRENT + 1,
            "note": "三年规划",
            f"tier_{tiers['school'].pk}": "12",
            f"tier_{tiers['district'].pk}": "6",
            f"tier_{tiers['municipal'].pk}": "3",
        },
    )
    assert response.status_code == 302
    plan = {t.tier.code: t.count for t in Target.objects.filter(school=school, by_year=CURRENT + 1)}
    assert plan == {"school": 12, "district": 6, "municipal": 3}
    assert Target.objects.filter(created_by=principal, note="三年规划").count() == 3
    client.post(
        reverse("backbone:target_edit", args=[CURRENT + 1]) + owner,
        {"by_year": CURRENT + 2, "note": "", f"tier_{tiers['school'].pk}": "15"},
    )
    assert not Target.objects.filter(by_year=CURRENT + 1).exists()
    assert list(Target.objects.values_list("tier__code", "by_year", "count")) == [
        ("school", CURRENT + 2, 15)
    ]
    client.post(reverse("backbone:target_delete", args=[CURRENT + 2]) + owner)
    assert not Target.objects.exists()


def test_a_plan_needs_at_least_one_number(en, principal, school):
    response = en(principal).post(
        reverse("backbone:target_create") + f"?school={school.pk}", {"by_year": CURRENT + 1}
    )
    assert response.status_code == 200 and not Target.objects.exists()
    assert "at least one tier" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("principal", 200, 302),
        ("training_office", 200, 302),
        ("committee_member", 200, 403),
        ("district_office", 200, 403),  # reads the school's plan; writes the district's own
        ("outsider", 404, 404),
        ("teacher_user", 404, 404),
    ],
)
def test_targets_permissions(request, login, school, who, read, write):
    client = login(request.getfixturevalue(who))
    owner = f"?school={school.pk}"
    assert client.get(reverse("backbone:targets") + owner).status_code == read
    data = {"by_year": CURRENT + 1, f"tier_{tier(school.district).pk}": "2"}
    assert client.post(reverse("backbone:target_create") + owner, data).status_code == write
    assert Target.objects.filter(school=school).exists() == (write == 302)


def test_district_office_records_district_targets_and_others_cannot(
    login, district_office, principal, school
):
    data = {"by_year": CURRENT + 1, f"tier_{tier(school.district, 'district').pk}": "20"}
    owner = f"?district={school.district.pk}"
    assert login(principal).post(reverse("backbone:target_create") + owner, data).status_code == 404
    assert (
        login(district_office).post(reverse("backbone:target_create") + owner, data).status_code
        == 302
    )
    assert Target.objects.get().district == school.district


# -- dashboard -----------------------------------------------------------------------------------
@pytest.fixture
def dashboard_data(school, other_school, principal):
    district = school.district
    ending = TeacherFactory(school=school, name="陈静")
    DesignationFactory(teacher=ending, first_year=CURRENT - 1, last_year=CURRENT)
    DesignationFactory(
        teacher=TeacherFactory(school=school, name="孙丽"),
        first_year=CURRENT,
        last_year=CURRENT + 1,
    )
    DesignationFactory(
        teacher=TeacherFactory(school=school),
        tier=tier(district, "district"),
        first_year=CURRENT,
        last_year=CURRENT + 2,
    )
    DesignationFactory(  # expired: not counted
        teacher=TeacherFactory(school=school), first_year=CURRENT - 3, last_year=CURRENT - 2
    )
    DesignationFactory(
        teacher=TeacherFactory(school=other_school, name="赵敏"),
        first_year=CURRENT,
        last_year=CURRENT,
    )
    for t in TeacherFactory.create_batch(3, school=school):
        ReserveEntry.objects.create(
            teacher=t, tier=tier(district), reason="优秀", marked_by=principal
        )
    ReserveEntry.objects.create(
        teacher=TeacherFactory(school=school),
        tier=tier(district),
        reason="已调走",
        removed_on=TODAY,
    )
    SelectionRound.objects.create(
        school=school,
        tier=tier(district),
        title="校级骨干评选",
        year=CURRENT,
        term_years=2,
        quota=5,
        apply_from=TODAY,
        apply_until=TODAY,
        status=SelectionRound.Status.SCORING,
    )
    SelectionRound.objects.create(
        school=school,
        tier=tier(district),
        title="上届评选",
        year=CURRENT - 2,
        term_years=2,
        quota=5,
        apply_from=TODAY,
        apply_until=TODAY,
        status=SelectionRound.Status.CONFIRMED,
    )
    Target.objects.create(school=school, tier=tier(district), by_year=CURRENT + 2, count=8)
    Target.objects.create(school=school, tier=tier(district), by_year=CURRENT + 1, count=4)
    Target.objects.create(school=school, tier=tier(district), by_year=CURRENT - 1, count=1)


def test_dashboard_numbers_for_a_school(school, principal, dashboard_data):
    data = school_dashboard(user=principal)
    rows = {r["tier"].code: r for r in data["tier_rows"]}
    assert rows["school"]["count"] == 2 and rows["district"]["count"] == 1
    assert rows["municipal"]["count"] == 0
    assert data["total"] == 3 and data["ending_total"] == 1
    assert [d.teacher.name for d in data["ending_terms"]] == ["陈静"]
    assert [r.title for r in data["open_rounds"]] == ["校级骨干评选"]
    assert data["reserve_total"] == 3
    # The nearest target ahead: 4 by the end of next year.
    assert rows["school"]["target"] == {
        "count": 4,
        "year_label": label(CURRENT + 1),
        "percent": 50,
    }
    assert rows["district"]["target"] is None


def test_principal_home_shows_the_dashboard(en, principal, school, dashboard_data):
    response = en(principal).get(reverse("home"))
    body = response.content.decode()
    assert 'id="backbone-dashboard"' in body
    assert "陈静" in body and "赵敏" not in body
    assert "校级骨干评选" in body and "上届评选" not in body
    round_ = SelectionRound.objects.get(title="校级骨干评选")
    assert reverse("backbone:round", args=[round_.pk]) in body
    assert "Committee scoring" in body
    assert f"2 of 4 by {label(CURRENT + 1)}" in body
    assert 'id="dash-reserve">3<' in body


def test_district_office_home_adds_up_its_schools(en, district_office, school, dashboard_data):
    sibling = SchoolFactory(district=school.district, name="城关第二小学")
    DesignationFactory(
        teacher=TeacherFactory(school=sibling), first_year=CURRENT, last_year=CURRENT + 1
    )
    Target.objects.create(
        district=school.district, tier=tier(school.district), by_year=CURRENT + 1, count=6
    )
    response = en(district_office).get(reverse("home"))
    data = response.context["dashboard"]
    rows = {r["tier"].code: r for r in data["tier_rows"]}
    assert rows["school"]["count"] == 3
    assert rows["school"]["target"]["count"] == 6 and rows["school"]["target"]["percent"] == 50
    body = response.content.decode()
    assert "Schools of the district" in body and "城关第二小学" in body  # the school table stays
    assert "赵敏" not in body


def test_district_office_dashboard_keeps_its_counts_a_few_minutes(
    login, district_office, principal, school, dashboard_data
):
    """A district's designations are counted once every few minutes, with the time shown; a
    school's staff see theirs counted at every visit."""
    client = login(district_office)
    first = client.get(reverse("home"))
    assert first.context["dashboard"]["total"] == 3
    assert 'id="dash-counted-at"' in first.text and "统计于" in first.text
    DesignationFactory(
        teacher=TeacherFactory(school=school, name="新任骨干"),
        first_year=CURRENT,
        last_year=CURRENT + 1,
    )
    assert client.get(reverse("home")).context["dashboard"]["total"] == 3
    cache.clear()  # five minutes later
    assert client.get(reverse("home")).context["dashboard"]["total"] == 4
    school_home = login(principal).get(reverse("home"))
    assert school_home.context["dashboard"]["total"] == 4
    assert 'id="dash-counted-at"' not in school_home.text


def test_teachers_home_has_no_dashboard(login, teacher_user, dashboard_data):
    response = login(teacher_user).get(reverse("home"))
    assert response.status_code == 200 and response.context["dashboard"] is None


def test_dashboard_query_count_does_not_grow_with_designations(
    login, principal, school, count_queries
):
    client = login(principal)
    district = school.district

    def add(n):
        for i, t in enumerate(TeacherFactory.create_batch(n, school=school)):
            DesignationFactory(
                teacher=t,
                tier=tier(district, ["school", "district"][i % 2]),
                first_year=CURRENT - 1,
                last_year=CURRENT + i % 2,
            )
            ReserveEntry.objects.create(teacher=t, tier=tier(district, "municipal"), reason="x")

    add(5)
    SelectionRound.objects.create(
        school=school,
        tier=tier(district),
        title="r",
        year=CURRENT,
        term_years=2,
        quota=1,
        apply_from=TODAY,
        apply_until=TODAY,
    )
    Target.objects.create(school=school, tier=tier(district), by_year=CURRENT + 1, count=50)
    small = count_queries(client, reverse("home"))
    add(35)
    assert count_queries(client, reverse("home")) == small


def test_a_principal_of_two_schools_sees_both_on_the_dashboard(principal, school):
    second = SchoolFactory(district=school.district, name="城关第三小学")
    RoleAssignment.objects.create(user=principal, role=Role.PRINCIPAL, school=second)
    principal.__dict__.pop("scope", None)
    DesignationFactory(
        teacher=TeacherFactory(school=second), first_year=CURRENT, last_year=CURRENT + 1
    )
    DesignationFactory(
        teacher=TeacherFactory(school=school), first_year=CURRENT, last_year=CURRENT + 1
    )
    data = school_dashboard(user=principal)
    assert data["many_schools"]
    assert next(r for r in data["tier_rows"] if r["tier"].code == "school")["count"] == 2
