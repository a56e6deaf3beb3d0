"""The title-appraisal evidence pack (职称评审材料) against the records it prints: the years asked
for and no others, released grades only; who may print it; the PDF in both languages."""

import datetime
import shutil
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import AnnualGrade, AssessmentRound, AssessmentTemplate
from core.models import Job, Role, school_year_start
from documents.evidence import evidence_data, evidence_html
from mentoring.models import Pairing
from records.models import Paper, ResearchProject
from teachers import services
from teachers.models import Title
from tests.documents.test_dossier import download, poppler
from tests.factories import (
    DesignationFactory,
    OpenClassFactory,
    SchoolFactory,
    TeacherFactory,
    TrainingFactory,
    user_with_role,
)
from tests.markers import needs_pdf_tools
from training.models import Certificate, Enrolment, Programme

TODAY = timezone.localdate()
YEAR = school_year_start(TODAY)


def _verified(teacher, year):
    return {"teacher": teacher, "year": year, "semester": 1, "status": "verified"}


@pytest.fixture
def applicant(school):
    user = user_with_role(Role.TEACHER, school=school, username="liu")
    teacher = TeacherFactory(school=school, user=user, name="刘芳", staff_no="L007",
                             career_start=datetime.date(YEAR - 12, 9, 1))  # fmt: skip
    services.title_award_add(teacher=teacher, title=Title.SECOND,
                             awarded_on=datetime.date(YEAR - 9, 12, 1))  # fmt: skip
    services.title_award_add(teacher=teacher, title=Title.FIRST,
                             awarded_on=datetime.date(YEAR - 6, 12, 20))  # fmt: skip
    this, earlier, old = YEAR, YEAR - 3, YEAR - 6
    OpenClassFactory(**_verified(teacher, this), date=datetime.date(this, 10, 9),
                     class_kind="research", topic="《桂花雨》研究课")  # fmt: skip
    OpenClassFactory(**_verified(teacher, old), date=datetime.date(old, 10, 9),
                     topic="多年前的公开课")  # fmt: skip
    Paper.objects.create(**_verified(teacher, earlier), date=datetime.date(earlier, 11, 2),
                         result_kind="paper", paper_title="小学语文整本书阅读的实践")  # fmt: skip
    Paper.objects.create(**_verified(teacher, this), date=datetime.date(this, 11, 2),
                         result_kind="award", paper_title="区优秀论文评比",
                         venue="区教研室", prize="first", award_level=2)  # fmt: skip
    Paper.objects.create(**{**_verified(teacher, this), "status": "submitted"},
                         date=datetime.date(this, 11, 3), result_kind="paper",
                         paper_title="待审核的论文")  # fmt: skip
    ResearchProject.objects.create(**_verified(teacher, earlier),
                                   date=datetime.date(earlier, 10, 1), project_title="阅读课题",
                                   level=2, role="leader", stage="concluded")  # fmt: skip
    TrainingFactory(**_verified(teacher, this), date=datetime.date(this, 10, 15),
                    course="整本书阅读研修", hours=30, school_based=True)  # fmt: skip
    TrainingFactory(**_verified(teacher, old), date=datetime.date(old, 10, 15),
                    course="多年前的培训", hours=80, school_based=True)  # fmt: skip
    # Grades: by hand last year (released), from a round not yet posted this year (left out),
    # and by hand long ago (outside the years).
    AnnualGrade.objects.create(teacher=teacher, year=YEAR - 1, grade=4)
    AnnualGrade.objects.create(teacher=teacher, year=old, grade=4)
    template = AssessmentTemplate.objects.create(
        district=school.district, name="年度考核", kind="annual", valid_from=YEAR - 1
    )
    unposted = AssessmentRound.objects.create(
        school=school, template=template, title="本年度考核", year=YEAR, status="finalised"
    )
    AnnualGrade.objects.create(teacher=teacher, year=YEAR, grade=3, round=unposted)
    DesignationFactory(teacher=teacher, first_year=YEAR - 2, last_year=YEAR,
                       certificate_no="XGG-2024-03")  # fmt: skip
    DesignationFactory(teacher=teacher, first_year=old - 2, last_year=old,
                       certificate_no="OLD-0001", status="expired")  # fmt: skip
    apprentice = TeacherFactory(school=school, name="赵小燕")
    Pairing.objects.create(
        school=school, mentor=teacher, apprentice=apprentice, origin=Pairing.Origin.SCHOOL,
        status=Pairing.Status.ACTIVE, start_date=datetime.date(YEAR - 1, 9, 1),
        end_date=datetime.date(YEAR + 1, 7, 15), goals="站稳讲台", mentor_duties="每周听课两节",
        apprentice_duties="每周听课三节",
    )  # fmt: skip
    programme = Programme.objects.create(
        school=school, district=school.district, title="骨干教师研修班",
        kind=Programme.Kind.SCHOOL_BASED, start_date=datetime.date(YEAR, 9, 1),
        end_date=datetime.date(YEAR + 1, 6, 30), hours_per_session=Decimal(3),
    )  # fmt: skip
    enrolment = Enrolment.objects.create(programme=programme, teacher=teacher, origin="named")
    Certificate.objects.create(enrolment=enrolment, serial="GG2025-0042", hours=Decimal(24))
    return teacher


def test_the_pack_covers_the_years_asked_for_and_released_grades_only(applicant):
    pack = evidence_data(teacher=applicant, years=5, applied_title=Title.SENIOR)
    assert [y.year for y in pack.years] == list(range(YEAR - 4, YEAR + 1))
    grades = {y.year: y.grade.grade if y.grade else None for y in pack.years}
    assert grades[YEAR - 1] == 4  # recorded by hand
    assert grades[YEAR] is None  # the round's results are not posted yet
    hours = {y.year: y.hours for y in pack.years}
    assert hours[YEAR].total == 30 and hours[YEAR].school_based == 30
    assert hours[YEAR].required_total == 72 and hours[YEAR].required_school_based == 24
    assert not hours[YEAR].met
    assert [r.topic for r in pack.open_classes] == ["《桂花雨》研究课"]
    assert [p.paper_title for p in pack.papers] == ["小学语文整本书阅读的实践", "区优秀论文评比"]
    assert [p.project_title for p in pack.projects] == ["阅读课题"]
    assert [d.certificate_no for d in pack.designations] == ["XGG-2024-03"]
    assert [p.apprentice.name for p in pack.mentor_pairings] == ["赵小燕"]  # once, not per year
    assert [c.serial for _e, c in pack.programmes] == ["GG2025-0042"]
    assert [t.course for t in pack.trainings] == ["整本书阅读研修"]
    assert pack.applied_title_label == Title.SENIOR.label
    assert pack.last_title.title == Title.FIRST
    assert pack.years_since_title == 7


def test_more_years_bring_back_the_older_records(applicant):
    pack = evidence_data(teacher=applicant, years=7)
    assert {r.topic for r in pack.open_classes} == {"《桂花雨》研究课", "多年前的公开课"}
    assert {d.certificate_no for d in pack.designations} == {"XGG-2024-03", "OLD-0001"}
    old = next(y for y in pack.years if y.year == YEAR - 6)
    assert old.grade.grade == 4 and old.hours.met


def test_the_html_prints_the_records_and_the_title_history(applicant):
    html = evidence_html(pack=evidence_data(teacher=applicant, applied_title=Title.SENIOR),
                         language="zh-hans")  # fmt: skip
    for text in ("职称评审材料", "刘芳", "《桂花雨》研究课", "小学语文整本书阅读的实践",
                 "阅读课题", "XGG-2024-03", "赵小燕", "GG2025-0042", "整本书阅读研修",
                 "一级教师", "二级教师", "高级教师"):  # fmt: skip
        assert text in html, text
    for text in ("多年前的公开课", "多年前的培训", "OLD-0001", "待审核的论文"):
        assert text not in html, text


def _request(client, teacher, capture, **data):
    with capture(execute=True):
        response = client.post(reverse("documents:evidence", args=[teacher.pk]), data)
    assert response.status_code == 302, response.status_code
    return Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


@needs_pdf_tools
def test_the_teacher_prints_their_own_pack_in_chinese(
    login, applicant, django_capture_on_commit_callbacks, tmp_path
):
    client = login(applicant.user)
    job = _request(client, applicant, django_capture_on_commit_callbacks,
                   years="5", applied_title=str(Title.SENIOR))  # fmt: skip
    assert job.status == Job.Status.DONE, job.error
    assert job.params["years"] == 5 and job.params["applied_title"] == Title.SENIOR
    text = poppler("pdftotext", download(client, job), tmp_path)
    for part in ("职称评审材料", "刘芳", "申报职称", "高级教师", "一级教师", "《桂花雨》研究课",
                 "30 / 72", "30 / 24", "优秀", "XGG-2024-03", "赵小燕", "GG2025-0042"):  # fmt: skip
        assert part in text, part
    for part in ("多年前的公开课", "待审核的论文", "OLD-0001"):
        assert part not in text, part
    shutil.copy(tmp_path / "pdftotext.pdf", tmp_path.parent / "evidence-zh.pdf")


@needs_pdf_tools
def test_the_principal_prints_the_pack_in_english(
    login, principal, applicant, django_capture_on_commit_callbacks, tmp_path
):
    client = login(principal)
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:evidence", args=[applicant.pk]),
                    {"years": "4"}, HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    job = Job.objects.get(kind="evidence_pack")
    assert job.status == Job.Status.DONE, job.error
    text = poppler("pdftotext", download(client, job), tmp_path)
    for part in ("Title appraisal evidence", "Training hours and annual grades", "Mentoring",
                 "Training attended and certificates", "Period covered", "Page 2 of",
                 f"to {YEAR}"):  # fmt: skip
        assert part in text, part
    assert "阅读课题" in text  # four years back
    assert "Requirement not met" in text
    shutil.copy(tmp_path / "pdftotext.pdf", tmp_path.parent / "evidence-en.pdf")


def test_nonsense_choices_fall_back_to_five_years_and_no_title(
    login, training_office, applicant, django_capture_on_commit_callbacks
):
    job = _request(login(training_office), applicant, django_capture_on_commit_callbacks,
                   years="many", applied_title="99")  # fmt: skip
    assert (job.params["years"], job.params["applied_title"]) == (5, None)
    assert job.school == applicant.school


def test_a_colleague_and_another_school_get_404_the_committee_403(
    login, school, outsider, applicant
):
    colleague = user_with_role(Role.TEACHER, school=school, username="wang")
    TeacherFactory(school=school, user=colleague)
    url = reverse("documents:evidence", args=[applicant.pk])
    for user in (colleague, outsider):
        assert login(user).post(url, {"years": "5"}).status_code == 404
    committee = user_with_role(Role.COMMITTEE, school=school, username="committee2")
    assert login(committee).post(url, {"years": "5"}).status_code == 403
    assert not Job.objects.filter(kind="evidence_pack").exists()


def test_a_user_of_two_schools_prints_each_schools_pack_filed_under_it(
    login, school, applicant, django_capture_on_commit_callbacks
):
    second = SchoolFactory(code="A009", name="城关第九小学", district=school.district)
    other = TeacherFactory(school=second, name="林立")
    office = user_with_role(Role.TRAINING_OFFICE, school=school, username="both")
    office.role_assignments.create(role=Role.TRAINING_OFFICE, school=second)
    client = login(office)
    first = _request(client, applicant, django_capture_on_commit_callbacks)
    again = _request(client, other, django_capture_on_commit_callbacks)
    assert (first.school, again.school) == (school, second)
    assert first.status == again.status == Job.Status.DONE


def test_the_teachers_page_offers_the_pack_with_higher_titles_only(login, applicant):
    html = login(applicant.user).get(reverse("teachers:detail", args=[applicant.pk]))
    html = html.content.decode()
    assert reverse("documents:evidence", args=[applicant.pk]) in html
    choices = html.split('name="applied_title">', 1)[1].split("</select>", 1)[0]
    values = [part.split('"', 1)[0] for part in choices.split('value="')[1:]]
    assert values == ["", str(Title.SENIOR.value), str(Title.PROFESSOR.value)]


def test_gathering_costs_the_same_queries_however_many_records(applicant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            evidence_data(teacher=applicant)
        return len(ctx.captured_queries)

    before = queries()
    for year in range(YEAR - 4, YEAR + 1):
        OpenClassFactory.create_batch(3, **_verified(applicant, year),
                                      date=datetime.date(year, 10, 20))  # fmt: skip
        TrainingFactory.create_batch(3, **_verified(applicant, year),
                                     date=datetime.date(year, 10, 21))  # fmt: skip
        AnnualGrade.objects.get_or_create(teacher=applicant, year=year, defaults={"grade": 3})
    assert queries() == before


def test_my_growth_offers_the_teacher_their_own_pack(login, applicant):
    html = login(applicant.user).get(reverse("records:growth")).content.decode()
    assert 'id="evidence-pack"' in html
    assert reverse("documents:evidence", args=[applicant.pk]) in html
