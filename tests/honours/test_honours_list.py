import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Job, Role
from honours import services
from honours.models import HonourCandidate, HonourList
from tests.factories import AnnualGradeFactory, TeacherFactory, user_with_role

from .conftest import YEAR, post, scored_round

LISTS = reverse("honours:lists")


def propose(client, school):
    response = client.post(reverse("honours:list_new"), {"school": school.pk, "year": YEAR})
    honour_list = HonourList.objects.get(school=school, year=YEAR)
    assert response.url == reverse("honours:list", args=[honour_list.pk])
    return honour_list


# -- the list against the records ----------------------------------------------------------------
def test_the_proposed_list_holds_who_the_records_qualify_best_first(
    login, school, training_office, records
):
    client = login(training_office)
    honour_list = propose(client, school)
    names = [c.teacher.name for c in honour_list.candidates.order_by("position")]
    # excellent first; good with a verified outcome at district level; a school-level outcome,
    # an outcome awaiting verification, a qualified grade and another school's teacher: no
    assert names == ["优秀老师", "成果老师"]
    html = client.get(
        reverse("honours:list", args=[honour_list.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "外校老师" not in html and "良好老师" not in html
    assert "Annual assessment 2025–2026: Excellent (优秀)" in html
    assert "1 verified outcome (1 at district level or above)" in html
    assert "No backbone duties owed" in html
    assert "0 verified outcomes" not in html  # no outcome is no reason


def test_proposing_twice_keeps_one_list_and_the_offices_choices(school, training_office, records):
    first = services.honour_list_propose(school=school, year=YEAR, by=training_office)
    star = first.candidates.get(teacher=records["star"])
    services.honour_list_save(
        honour_list=first, title="2025学年表彰", commended_on=datetime.date(2026, 9, 10),
        choices={star.pk: (True, "师德标兵")}, by=training_office,
    )  # fmt: skip
    AnnualGradeFactory(teacher=TeacherFactory(school=school, name="新增优秀"), year=YEAR, grade=4)
    again = services.honour_list_propose(school=school, year=YEAR, by=training_office)
    assert again.pk == first.pk and HonourList.objects.count() == 1
    assert again.candidates.get(teacher=records["star"]).honour == "师德标兵"
    assert again.candidates.filter(teacher__name="新增优秀").exists()


def test_a_grade_lowered_after_proposal_drops_the_candidate_on_reading_again(
    login, school, training_office, records
):
    client = login(training_office)
    honour_list = propose(client, school)
    records["achiever"].annual_grades.update(grade=2)
    client.post(reverse("honours:list_refresh", args=[honour_list.pk]))
    assert not honour_list.candidates.filter(teacher=records["achiever"]).exists()


# -- secrecy -------------------------------------------------------------------------------------
def test_a_grade_is_not_read_before_its_rounds_results_are_posted(
    login, school, principal, training_office, committee_member, district_office, records
):
    round, secret = scored_round(school, principal, committee_member)
    assert secret.annual_grades.get(year=YEAR).grade == 3  # finalised: graded, not posted
    honour_list = services.honour_list_propose(school=school, year=YEAR, by=training_office)
    assert not honour_list.candidates.filter(teacher=secret).exists()
    url = reverse("honours:list", args=[honour_list.pk])
    for user in (training_office, district_office, principal):
        html = login(user).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "秘密老师" not in html
        # the star (a backbone teacher) is in the round too: their grade waits as well
        assert '"waiting">2 annual grades of this year wait for the results' in html
    pay = login(district_office).get(reverse("honours:pay"), {"year": YEAR}).content.decode()
    assert "秘密老师" in pay and "良好" not in pay.split("秘密老师")[1].split("</tr>")[0]

    post(round, principal)
    services.honour_list_refresh(honour_list=honour_list, by=training_office)
    assert honour_list.candidates.filter(teacher=secret).exists()


# -- confirmation --------------------------------------------------------------------------------
def test_the_office_edits_and_the_principal_confirms_the_commendation(
    login, school, principal, training_office, teacher_user, records
):
    honour_list = propose(login(training_office), school)
    star = honour_list.candidates.get(teacher=records["star"])
    achiever = honour_list.candidates.get(teacher=records["achiever"])
    response = login(training_office).post(
        reverse("honours:list_save", args=[honour_list.pk]),
        {"title": "2025–2026学年表彰名单", "commended_on": "2026-09-10",
         f"included-{star.pk}": "on", f"honour-{star.pk}": "优秀教师",
         f"honour-{achiever.pk}": "教学能手"},
    )  # fmt: skip
    assert response.status_code == 302
    achiever.refresh_from_db()
    assert achiever.included is False and achiever.honour == "教学能手"
    # the training office does not confirm
    confirm = reverse("honours:list_confirm", args=[honour_list.pk])
    assert login(training_office).post(confirm).status_code == 403
    assert login(principal).post(confirm).status_code == 302
    honour_list.refresh_from_db()
    assert honour_list.is_confirmed and honour_list.confirmed_by == principal
    assert honour_list.commended_on == datetime.date(2026, 9, 10)
    # a second click changes nothing; the list no longer changes
    services.honour_list_confirm(honour_list=honour_list, by=principal)
    with pytest.raises(ValidationError):
        services.honour_list_refresh(honour_list=honour_list, by=training_office)


def test_confirming_needs_a_date_and_somebody_on_the_list(school, principal, records):
    honour_list = services.honour_list_propose(school=school, year=YEAR, by=principal)
    with pytest.raises(ValidationError):
        services.honour_list_confirm(honour_list=honour_list, by=principal)
    HonourCandidate.objects.update(included=False)
    honour_list.commended_on = datetime.date(2026, 9, 10)
    honour_list.save()
    with pytest.raises(ValidationError):
        services.honour_list_confirm(honour_list=honour_list, by=principal)


def test_a_teacher_sees_their_honour_once_confirmed(login, school, principal, records):
    user = user_with_role(Role.TEACHER, school=school, username="star")
    records["star"].user = user
    records["star"].save()
    honour_list = services.honour_list_propose(school=school, year=YEAR, by=principal)
    mine = reverse("honours:mine")
    assert "优秀老师" not in login(user).get(mine).content.decode()
    assert (
        "Excellent teacher" not in login(user).get(mine, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    honour_list.commended_on = datetime.date(2026, 9, 10)
    honour_list.save()
    services.honour_list_confirm(honour_list=honour_list, by=principal)
    html = login(user).get(mine).content.decode()
    assert honour_list.title in html
    assert login(user).get(reverse("honours:list", args=[honour_list.pk])).status_code == 404


# -- who -----------------------------------------------------------------------------------------
def test_who_reads_and_who_acts(
    login, school, principal, training_office, committee_member, district_office, outsider,
    teacher_user, records,
):  # fmt: skip
    honour_list = services.honour_list_propose(school=school, year=YEAR, by=principal)
    detail = reverse("honours:list", args=[honour_list.pk])
    save = reverse("honours:list_save", args=[honour_list.pk])
    assert login(district_office).get(detail).status_code == 200
    assert login(district_office).post(save, {"title": "x"}).status_code == 403
    for user in (outsider, committee_member, teacher_user):
        assert login(user).get(detail).status_code == 404
    assert school.name not in login(outsider).get(LISTS).content.decode()
    for user in (committee_member, teacher_user):
        assert login(user).get(LISTS).status_code == 404
    with pytest.raises(PermissionDenied):
        services.honour_list_propose(school=school, year=YEAR, by=district_office)


def test_the_lists_page_in_both_languages(login, school, training_office, records):
    services.honour_list_propose(school=school, year=YEAR, by=training_office)
    en = login(training_office).get(LISTS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Honours (评优评先)" in en and "Propose the list" in en
    zh = login(training_office).get(LISTS, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "评优评先" in zh and "2025–2026" in zh


# -- the printed commendation --------------------------------------------------------------------
def test_the_commendation_prints_once_confirmed(
    login, school, principal, district_office, records, django_capture_on_commit_callbacks
):
    honour_list = services.honour_list_propose(school=school, year=YEAR, by=principal)
    url = reverse("honours:list_print", args=[honour_list.pk])
    assert login(principal).post(url).url == reverse("honours:list", args=[honour_list.pk])
    assert not Job.objects.exists()
    honour_list.commended_on = datetime.date(2026, 9, 10)
    honour_list.save()
    services.honour_list_confirm(honour_list=honour_list, by=principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(district_office).post(url)
    job = Job.objects.get(kind="honours_commendation")
    assert response.url == reverse("job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.school == school
    assert job.file.read()[:5] == b"%PDF-"


def test_the_list_page_costs_the_same_queries_for_more_candidates(
    login, count_queries, school, training_office, records
):
    honour_list = services.honour_list_propose(school=school, year=YEAR, by=training_office)
    url = reverse("honours:list", args=[honour_list.pk])
    client = login(training_office)
    few = count_queries(client, url)
    for i in range(10):
        AnnualGradeFactory(
            teacher=TeacherFactory(school=school, staff_no=f"Q{i:02d}"), year=YEAR, grade=4
        )
    services.honour_list_refresh(honour_list=honour_list, by=training_office)
    assert honour_list.candidates.count() == 12
    assert count_queries(client, url) == few
