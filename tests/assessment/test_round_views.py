import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessment.models import AnnualGrade, AssessmentRound, DutyReport, Grade
from assessment.services import rounds as services
from backbone.models import Designation
from core.models import Role, school_year_start
from tests.factories import DesignationFactory, TeacherFactory, user_with_role
from tests.html import visible_text

YEAR = 2025
Status = AssessmentRound.Status


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def make_round(school, principal, committee, n=2):
    for i in range(n):
        teacher = TeacherFactory(school=school, staff_no=f"B{i:03d}", name=f"骨干{i}")
        DesignationFactory(teacher=teacher, first_year=YEAR, last_year=YEAR + 5)
    return services.round_open(
        school=school, kind="annual", year=YEAR, title="年度考核", committee=committee,
        by=principal,
    )  # fmt: skip


def score(round, member, percent):
    values = {
        (e.pk, c.pk): Decimal(c.max_score) * percent / 100
        for e in round.entries.all()
        for c in round.template.components.all()
    }
    services.score_sheet_save(round=round, member=member, values=values)
    services.score_sheet_submit(round=round, member=member)


def posted(round, principal, *, days_ago=0):
    start = timezone.localdate() - datetime.timedelta(days=days_ago)
    services.round_finalise(round=round, by=principal)
    confirmed = timezone.now() - datetime.timedelta(days=days_ago)
    AssessmentRound.objects.filter(pk=round.pk).update(finalised_at=confirmed)
    services.round_post(
        round=round, by=principal, notice_from=start, notice_until=start + datetime.timedelta(5)
    )
    return round


# -- opening -------------------------------------------------------------------------------------
def test_the_training_office_opens_a_round_in_the_browser(
    login, school, training_office, committee_member
):
    teacher = TeacherFactory(school=school)
    DesignationFactory(teacher=teacher, first_year=YEAR, last_year=YEAR + 5)
    client = login(training_office)
    assert client.get(reverse("assessment:round_new")).status_code == 200
    response = client.post(
        reverse("assessment:round_new"),
        {"school": school.pk, "kind": "annual", "year": YEAR, "title": "年度考核",
         "committee": [committee_member.pk]},
    )  # fmt: skip
    round = AssessmentRound.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "assessment:round", args=[round.pk]
    )
    assert round.entries.get().teacher == teacher


def test_committee_and_teachers_cannot_open_rounds(login, committee_member, teacher_user):
    assert login(committee_member).get(reverse("assessment:round_new")).status_code == 403
    assert login(teacher_user).get(reverse("assessment:round_new")).status_code == 404


# -- scoping -------------------------------------------------------------------------------------
def test_round_pages_are_scoped(
    login, school, principal, committee_member, district_office, outsider, teacher_user
):
    round = make_round(school, principal, [committee_member])
    url = reverse("assessment:round", args=[round.pk])
    for user in (principal, committee_member, district_office):
        assert login(user).get(url).status_code == 200
    assert login(outsider).get(url).status_code == 404
    assert login(teacher_user).get(url).status_code == 404
    assert login(teacher_user).get(reverse("assessment:rounds")).status_code == 404
    assert round.title not in login(outsider).get(reverse("assessment:rounds")).text
    # only the principal finalises; outsiders do not even learn the round exists
    finalise = reverse("assessment:round_finalise", args=[round.pk])
    assert login(committee_member).post(finalise).status_code == 403
    assert login(outsider).post(finalise).status_code == 404
    assert (
        login(outsider).get(reverse("assessment:round_score", args=[round.pk])).status_code == 404
    )
    assert (
        login(principal).get(reverse("assessment:round_score", args=[round.pk])).status_code == 403
    )


def test_a_committee_member_scores_only_their_own_sheet(
    login, school, principal, committee_member, training_office
):
    round = make_round(school, principal, [committee_member, training_office], n=1)
    entry = round.entries.get()
    components = list(round.template.components.all())
    client = login(committee_member)
    data = {f"s_{entry.pk}_{c.pk}": "80" for c in components}
    response = client.post(reverse("assessment:round_score", args=[round.pk]), data | {"save": ""})
    assert response.status_code == 302
    sheets = {s.member_id: s for s in round.panel.sheets.all()}
    assert list(sheets) == [committee_member.pk]
    assert sheets[committee_member.pk].marks.count() == len(components)
    assert sheets[committee_member.pk].submitted_at is None
    client.post(reverse("assessment:round_score", args=[round.pk]), data | {"submit": ""})
    sheets[committee_member.pk].refresh_from_db()
    assert sheets[committee_member.pk].submitted_at is not None


def test_a_member_sees_others_scores_only_after_submitting(
    login, school, principal, committee_member, training_office
):
    round = make_round(school, principal, [committee_member, training_office], n=1)
    score(round, training_office, Decimal(77))
    url = reverse("assessment:round", args=[round.pk])
    client = login(committee_member)
    assert "77.0" not in client.get(url).text
    score(round, committee_member, Decimal(91))
    assert "84.0" in client.get(url).text  # the average of both sheets
    assert "84.0" in login(principal).get(url).text  # a manager off the committee


# -- finalise, post, results, lock ---------------------------------------------------------------
def test_the_principal_finalises_posts_and_the_staff_reads_the_results(
    login, school, principal, committee_member, teacher_user, outsider
):
    round = make_round(school, principal, [committee_member])
    score(round, committee_member, Decimal(85))
    client = login(principal)
    client.post(reverse("assessment:round_finalise", args=[round.pk]))
    client.post(reverse("assessment:round_finalise", args=[round.pk]))  # harmless
    round.refresh_from_db()
    assert round.status == Status.FINALISED
    assert AnnualGrade.objects.filter(round=round, grade=Grade.GOOD).count() == 2
    results = reverse("assessment:results", args=[round.pk])
    assert login(teacher_user).get(results).status_code == 404  # not posted yet
    today = timezone.localdate()
    login(principal).post(
        reverse("assessment:round_post", args=[round.pk]),
        {
            "notice_from": today,
            "notice_until": today + datetime.timedelta(days=5),
            "notice_contact": "教科室 张老师",
        },
    )
    round.refresh_from_db()
    assert round.status == Status.POSTED
    response = login(teacher_user).get(results)
    assert response.status_code == 200
    assert "骨干0" in response.text and "Good" in response.text
    assert "85" not in visible_text(response.text)  # no scores on the public notice
    assert round.title in login(teacher_user).get(reverse("assessment:results_list")).text
    assert login(outsider).get(results).status_code == 404


def test_teachers_no_longer_see_results_after_the_notice(
    login, school, principal, committee_member, teacher_user
):
    round = make_round(school, principal, [committee_member])
    score(round, committee_member, Decimal(85))
    posted(round, principal, days_ago=10)
    results = reverse("assessment:results", args=[round.pk])
    assert login(teacher_user).get(results).status_code == 404
    assert login(principal).get(results).status_code == 200
    detail = login(principal).get(reverse("assessment:round", args=[round.pk]))
    assert "The round is locked and read-only." in detail.text


def test_a_locked_round_refuses_changes(login, school, principal, committee_member):
    round = make_round(school, principal, [committee_member])
    score(round, committee_member, Decimal(85))
    posted(round, principal)
    client = login(principal)
    client.post(reverse("assessment:round_lock", args=[round.pk]))
    round.refresh_from_db()
    assert round.status == Status.LOCKED
    today = timezone.localdate()
    response = client.post(
        reverse("assessment:round_post", args=[round.pk]),
        {"notice_from": today, "notice_until": today},
        follow=True,
    )
    assert "locked" in response.text
    round.refresh_from_db()
    assert round.status == Status.LOCKED


def test_marking_an_absence(login, school, principal, committee_member):
    round = make_round(school, principal, [committee_member], n=1)
    entry = round.entries.get()
    url = reverse("assessment:entry_absence", args=[entry.pk])
    data = {"absent": "1", "reason": "无故缺席校本培训两次"}
    assert login(committee_member).post(url, data).status_code == 403
    login(principal).post(url, data)
    entry.refresh_from_db()
    assert entry.absent_without_reason


# -- flagged designations ------------------------------------------------------------------------
def test_the_principal_confirms_a_flagged_designation(
    login, school, principal, training_office, outsider
):
    teacher = TeacherFactory(school=school, name="待撤销")
    designation = DesignationFactory(teacher=teacher, first_year=YEAR, last_year=YEAR + 5)
    designation.flagged_at, designation.flag_reason = timezone.now(), "年度考核不合格"
    designation.save()
    assert "待撤销" in login(principal).get(reverse("assessment:flagged")).text
    assert login(training_office).get(reverse("assessment:flagged")).status_code == 404
    confirm = reverse("assessment:flagged_confirm", args=[designation.pk])
    assert login(outsider).post(confirm).status_code == 404
    login(principal).post(confirm, {"reason": "年度考核不合格"})
    designation.refresh_from_db()
    assert designation.status == Designation.Status.REVOKED


# -- templates -----------------------------------------------------------------------------------
def test_the_school_edits_its_template(login, school, principal, teacher_user):
    client = login(principal)
    assert "理论与技能" in client.get(reverse("assessment:templates")).text
    url = reverse("assessment:template_edit", args=["annual"])
    form = {
        "excellent_from": "88", "good_from": "78", "qualified_from": "60",
        "missed_core_duty_cap": "2", "year": str(school_year_start(timezone.localdate())),
        "components-TOTAL_FORMS": "2", "components-INITIAL_FORMS": "0",
        "components-0-name": "实绩", "components-0-weight": "60", "components-0-max_score": "100",
        "components-1-name": "出勤", "components-1-weight": "40", "components-1-max_score": "10",
    }  # fmt: skip
    assert client.post(url, form).status_code == 302
    page = client.get(reverse("assessment:templates")).text
    assert "实绩" in page and "88" in page
    assert login(teacher_user).get(url).status_code == 404


# -- the duty report -----------------------------------------------------------------------------
def test_a_teacher_writes_and_submits_the_duty_report(login, teacher_user, principal):
    client = login(teacher_user)
    url = reverse("assessment:duty_report")
    assert client.get(url).status_code == 200
    client.post(url, {"text": "草稿", "save": ""})
    client.post(url, {"text": "本学年述职", "submit": ""})
    report = DutyReport.objects.get()
    assert report.text == "本学年述职" and report.submitted_at is not None
    client.post(url, {"text": "改写"})
    report.refresh_from_db()
    assert report.text == "本学年述职"
    assert "本学年述职" in client.get(url).text
    assert login(principal).get(url).status_code == 404  # no roster profile


# -- query counts --------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["assessment:round", "assessment:round_score"])
def test_round_pages_query_count_does_not_grow_with_teachers(
    login, school, principal, committee_member, count_queries, page
):
    small = make_round(school, principal, [principal, committee_member], n=5)
    other = user_with_role(Role.PRINCIPAL, school=TeacherFactory().school)
    big = make_round(other.role_assignments.get().school, other, [other], n=30)
    client = login(principal)
    few = count_queries(client, reverse(page, args=[small.pk]))
    client = login(other)
    many = count_queries(client, reverse(page, args=[big.pk]))
    assert many == few
