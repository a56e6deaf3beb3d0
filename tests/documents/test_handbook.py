"""The growth handbook (成长手册) in its four parts and the dossier made complete, against the
records they print; who may print them."""

import datetime
import shutil
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import DutyReport
from assessment.services.duties import duty_templates_ensure_defaults
from core.models import Job, Role, school_year_start
from core.pdf import html_to_pdf
from documents.dossier import dossier_data, dossier_html
from documents.handbook import handbook_data
from records.models import Paper, ReadingNote, SelfDevelopmentPlan, StudyTrip, TeachingReflection
from teachers import services
from teachers.models import Post, Title
from tests.documents.test_dossier import download, poppler
from tests.factories import (
    OpenClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    TeacherFactory,
    TrainingFactory,
    user_with_role,
)
from tests.markers import needs_pdf_tools
from training.models import Certificate, Enrolment, Programme

TODAY = timezone.localdate()
YEAR = school_year_start(TODAY)


def _records(teacher):
    day = datetime.date(YEAR, 10, 9)
    common = {"teacher": teacher, "year": YEAR, "semester": 1, "status": "verified"}
    OpenClassFactory(**common, date=day, class_kind="research", topic="《落花生》研究课")
    OpenClassFactory(**common, date=day, class_kind="competition", topic="赛课《秋天》",
                     prize="一等奖")  # fmt: skip
    TeachingReflection.objects.create(**common, date=day, lesson="《落花生》第二课时",
                                      reflection="提问太密。")  # fmt: skip
    ReadingNote.objects.create(**common, date=day.replace(day=1), book="《给教师的建议》",
                               reflection="每天读十页。")  # fmt: skip
    StudyTrip.objects.create(**common, date=day, end_date=day, destination="杭州市天长小学",
                             purpose="跟岗学习", report="回校作汇报课。")  # fmt: skip
    Paper.objects.create(**common, date=day, result_kind="case", paper_title="一次课堂冲突的处理")
    Paper.objects.create(**common, date=day, result_kind="award", paper_title="三笔字比赛",
                         venue="区教师基本功大赛", prize="second", award_level=2)  # fmt: skip
    TrainingFactory(**{**common, "date": day}, course="新教师规范化培训")
    SelfDevelopmentPlan.objects.create(
        **common, date=day, first_year=YEAR, last_year=YEAR + 2, review="站稳讲台",
        self_assessment="课堂调控待提高", long_term_goals="三年成为校级骨干",
        short_term_goals="本学期上好一节研究课", measures="每周写一篇教学反思",
    )  # fmt: skip
    Paper.objects.create(**{**common, "status": "submitted"}, date=day, result_kind="paper",
                         paper_title="待审核的论文")  # fmt: skip
    DutyReport.objects.create(teacher=teacher, year=YEAR, text="本年完成研究课两节。",
                              submitted_at=timezone.now())  # fmt: skip
    programme = Programme.objects.create(
        school=teacher.school, district=teacher.school.district, title="青年教师成长营",
        kind=Programme.Kind.SCHOOL_BASED, start_date=datetime.date(YEAR, 9, 1),
        end_date=datetime.date(YEAR + 1, 6, 30), hours_per_session=Decimal(3),
    )  # fmt: skip
    enrolment = Enrolment.objects.create(programme=programme, teacher=teacher, origin="named")
    Certificate.objects.create(enrolment=enrolment, serial="QN2025-0007", hours=Decimal(24))
    services.post_held_add(teacher=teacher, post=Post.CLASS_TEACHER,
                           started_on=datetime.date(YEAR - 1, 9, 1))  # fmt: skip
    services.title_award_add(teacher=teacher, title=Title.SECOND,
                             awarded_on=datetime.date(YEAR - 1, 12, 20))  # fmt: skip


@pytest.fixture
def young(school):
    SchoolYearFactory(district=school.district, start_year=YEAR)
    duty_templates_ensure_defaults(district=school.district, year=YEAR)
    user = user_with_role(Role.TEACHER, school=school, username="chen")
    teacher = TeacherFactory(
        school=school, user=user, name="陈晨", staff_no="C001",
        birth_date=datetime.date(YEAR - 25, 5, 1), career_start=datetime.date(YEAR - 1, 9, 1),
    )  # fmt: skip
    _records(teacher)
    return teacher


def test_the_dossier_prints_every_kind_of_file_the_teacher_keeps(young, tmp_path):
    html = dossier_html(dossiers=[dossier_data(teacher=young)], language="zh-hans")
    for text in (
        "《给教师的建议》",  # reading notes
        "杭州市天长小学",  # study trips
        "《落花生》第二课时",  # teaching reflections
        "本年完成研究课两节。",  # the 述职 report
        "青年教师成长营", "QN2025-0007",  # training attended and its certificate
        "三笔字比赛", "二等奖", "赛课《秋天》",  # competition prizes
        "班主任", "二级教师",  # posts held and the title history
    ):  # fmt: skip
        assert text in html, text
    assert "待审核的论文" not in html  # only verified records are printed
    (tmp_path.parent / "dossier-zh.pdf").write_bytes(html_to_pdf(html))


def test_the_english_dossier_names_the_new_sections(young):
    html = dossier_html(dossiers=[dossier_data(teacher=young)], language="en")
    for text in ("Reading notes", "Study trips", "Teaching reflections", "Competition prizes",
                 "Training programmes attended", "Posts held and title history"):  # fmt: skip
        assert text in html, text


def test_the_handbook_gathers_the_four_parts_from_the_records(young):
    handbook = handbook_data(teacher=young, foreword="  望你早日成为骨干。  ")
    assert handbook.foreword == "望你早日成为骨干。"
    assert handbook.stage_label == young.growth_stage_label
    assert {s.kind for s in handbook.duties} == {"research_class", "writing", "reflection"}
    assert handbook.plan.long_term_goals == "三年成为校级骨干"
    steps = [(s.kind, s.text) for s in handbook.footprints]
    assert ("班主任" in str(steps)) and ("《给教师的建议》" in str(steps))
    assert steps[0][1] == young.school.name  # began teaching, the oldest step
    titles = [p.paper_title for p in handbook.results["papers"]]
    assert titles == ["一次课堂冲突的处理"]  # the prize is with the prizes, the pending not at all
    assert {p.title for p in handbook.results["prizes"]} == {"赛课《秋天》", "三笔字比赛"}
    assert [c.serial for _e, c in handbook.results["programmes"]] == ["QN2025-0007"]


def _request(client, teacher, capture, **data):
    with capture(execute=True):
        response = client.post(reverse("documents:handbook", args=[teacher.pk]), data)
    assert response.status_code == 302, response.status_code
    return Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


@needs_pdf_tools
def test_the_office_prints_the_handbook_with_the_principals_foreword(
    login, principal, young, django_capture_on_commit_callbacks, tmp_path
):
    client = login(principal)
    job = _request(client, young, django_capture_on_commit_callbacks, foreword="望你早日成为骨干。")
    assert job.status == Job.Status.DONE, job.error
    data = download(client, job)
    text = poppler("pdftotext", data, tmp_path)
    for part in ("成长手册", "现状", "自我规划", "成长足迹", "工作成果", "望你早日成为骨干。",
                 "陈晨", "三年成为校级骨干", "《落花生》研究课", "QN2025-0007"):  # fmt: skip
        assert part in text, part
    assert "待审核的论文" not in text
    shutil.copy(tmp_path / "pdftotext.pdf", tmp_path.parent / "handbook-zh.pdf")


@needs_pdf_tools
def test_the_teacher_prints_their_own_handbook_in_english_without_a_foreword(
    login, young, django_capture_on_commit_callbacks, tmp_path
):
    client = login(young.user)
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:handbook", args=[young.pk]),
                    {"foreword": "我自己写的寄语"}, HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    job = Job.objects.get(kind="growth_handbook")
    assert job.params["foreword"] == ""  # the foreword is the principal's
    text = poppler("pdftotext", download(client, job), tmp_path)
    for part in ("Growth handbook", "Present state", "Self-plan", "Growth footprints",
                 "Work results", "Page 2 of"):  # fmt: skip
        assert part in text, part
    shutil.copy(tmp_path / "pdftotext.pdf", tmp_path.parent / "handbook-en.pdf")


def test_a_colleague_and_another_school_cannot_print_the_handbook(login, school, outsider, young):
    colleague = user_with_role(Role.TEACHER, school=school, username="wang")
    TeacherFactory(school=school, user=colleague)
    for user in (colleague, outsider):
        response = login(user).post(reverse("documents:handbook", args=[young.pk]))
        assert response.status_code == 404
    committee = user_with_role(Role.COMMITTEE, school=school, username="committee2")
    assert login(committee).post(reverse("documents:handbook", args=[young.pk])).status_code == 403
    assert not Job.objects.filter(kind="growth_handbook").exists()


def test_a_user_of_two_schools_prints_each_schools_handbook_filed_under_it(
    login, school, young, django_capture_on_commit_callbacks
):
    second = SchoolFactory(code="A009", name="城关第九小学", district=school.district)
    other = TeacherFactory(school=second, name="林立")
    office = user_with_role(Role.TRAINING_OFFICE, school=school, username="both")
    office.role_assignments.create(role=Role.TRAINING_OFFICE, school=second)
    client = login(office)
    first = _request(client, young, django_capture_on_commit_callbacks)
    again = _request(client, other, django_capture_on_commit_callbacks)
    assert (first.school, again.school) == (school, second)
    assert first.status == again.status == Job.Status.DONE
