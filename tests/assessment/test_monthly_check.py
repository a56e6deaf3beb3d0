import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessment.models import MonthlyCheck, MonthlyCheckEntry
from assessment.services import monthly as services
from assessment.services.duties import duty_templates_ensure_defaults
from core.models import Role
from tests.factories import (
    DesignationFactory,
    OpenClassFactory,
    SchoolYearFactory,
    TeacherFactory,
    user_with_role,
)

YEAR = 2025
NOVEMBER = datetime.date(2025, 11, 1)
TODAY = datetime.date(2026, 12, 3)


@pytest.fixture
def backbone(school, other_school):
    for s in (school, other_school):
        SchoolYearFactory(district=s.district, start_year=YEAR)
        duty_templates_ensure_defaults(district=s.district, year=YEAR)
    user = user_with_role(Role.TEACHER, school=school, username="busy")
    busy = TeacherFactory(school=school, staff_no="M01", name="忙碌老师", user=user)
    DesignationFactory(teacher=busy)
    OpenClassFactory(teacher=busy, status="verified", date=datetime.date(2025, 11, 5))
    OpenClassFactory(teacher=busy, status="verified", date=datetime.date(2025, 12, 5))
    idle = TeacherFactory(school=school, staff_no="M02", name="空闲老师")
    DesignationFactory(teacher=idle)
    TeacherFactory(school=school, staff_no="M03", name="普通老师")  # owes no duties
    DesignationFactory(teacher=TeacherFactory(school=other_school, name="外校老师"))
    return {"busy": busy, "idle": idle, "user": user}


def open_class_done(entry):
    return next(d for d in entry.duties if d["kind"] == "open_class")["done"]


def test_the_month_reads_each_backbone_teachers_duties_at_its_end(
    school, training_office, backbone
):
    check = services.monthly_check_open(
        school=school, month=NOVEMBER, by=training_office, today=TODAY
    )
    entries = {e.teacher.name: e for e in check.entries.select_related("teacher")}
    assert set(entries) == {"忙碌老师", "空闲老师"}
    # the December open class is after the month's end: not counted in November
    assert open_class_done(entries["忙碌老师"]) == "1"
    assert open_class_done(entries["空闲老师"]) == "0"
    assert entries["忙碌老师"].total == len(entries["忙碌老师"].duties) > 0
    december = services.monthly_check_open(
        school=school, month=datetime.date(2025, 12, 1), by=training_office, today=TODAY
    )
    assert open_class_done(december.entries.get(teacher=backbone["busy"])) == "2"


def test_opening_again_keeps_the_comments_and_a_future_month_is_refused(
    school, training_office, backbone
):
    check = services.monthly_check_open(school=school, month=NOVEMBER, by=training_office)
    entry = check.entries.get(teacher=backbone["idle"])
    services.monthly_check_comment(
        check=check, comments={entry.pk: "本月未上公开课"}, by=training_office
    )
    again = services.monthly_check_open(school=school, month=NOVEMBER, by=training_office)
    assert again.pk == check.pk and MonthlyCheck.objects.count() == 1
    assert again.entries.get(teacher=backbone["idle"]).comment == "本月未上公开课"
    with pytest.raises(ValidationError):
        services.monthly_check_open(
            school=school, month=datetime.date(2030, 1, 1), by=training_office
        )


def test_the_office_comments_and_releases_then_teachers_see_their_own(
    login, school, training_office, backbone
):
    client = login(training_office)
    response = client.post(
        reverse("assessment:monthly_check_new"), {"school": school.pk, "month": "2025-11-01"}
    )
    check = MonthlyCheck.objects.get()
    assert response.url == reverse("assessment:monthly_check", args=[check.pk])
    busy = check.entries.get(teacher=backbone["busy"])
    idle = check.entries.get(teacher=backbone["idle"])
    client.post(
        reverse("assessment:monthly_check_save", args=[check.pk]),
        {f"comment-{busy.pk}": "按时完成，值得肯定", f"comment-{idle.pk}": "需加强听课"},
    )
    busy.refresh_from_db()
    assert busy.comment == "按时完成，值得肯定" and busy.commented_by == training_office
    mine = reverse("assessment:monthly_mine")
    assert "按时完成" not in login(backbone["user"]).get(mine).content.decode()  # not released yet
    login(training_office).post(reverse("assessment:monthly_check_release", args=[check.pk]))
    html = login(backbone["user"]).get(mine, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "按时完成，值得肯定" in html and "需加强听课" not in html
    assert "2025-11" in html
    # released: it no longer changes
    with pytest.raises(ValidationError):
        services.monthly_check_comment(check=check, comments={busy.pk: "改"}, by=training_office)


def test_who_reads_and_who_acts(
    login, school, principal, district_office, outsider, committee_member, backbone
):
    check = services.monthly_check_open(school=school, month=NOVEMBER, by=principal)
    detail = reverse("assessment:monthly_check", args=[check.pk])
    save = reverse("assessment:monthly_check_save", args=[check.pk])
    entry = MonthlyCheckEntry.objects.first()
    html = login(district_office).get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "忙碌老师" in html and "外校老师" not in html
    assert login(district_office).post(save, {f"comment-{entry.pk}": "x"}).status_code == 403
    for user in (outsider, committee_member, backbone["user"]):
        assert login(user).get(detail).status_code == 404
    assert login(backbone["user"]).get(reverse("assessment:monthly_checks")).status_code == 404


def test_both_languages_and_a_flat_query_count(login, count_queries, school, principal, backbone):
    check = services.monthly_check_open(school=school, month=NOVEMBER, by=principal)
    detail = reverse("assessment:monthly_check", args=[check.pk])
    client = login(principal)
    assert "Monthly check" in client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "公开课" in client.get(detail, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    few = count_queries(client, detail)
    for i in range(8):
        DesignationFactory(teacher=TeacherFactory(school=school, staff_no=f"N{i:02d}"))
    services.monthly_check_open(school=school, month=NOVEMBER, by=principal)
    assert check.entries.count() == 10
    assert count_queries(client, detail) == few
