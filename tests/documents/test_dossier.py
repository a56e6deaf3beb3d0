import datetime
import io
import subprocess
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import pdf
from core.models import Job, Role
from documents.dossier import dossier_data
from records.models import Observation, Paper
from tests.core.test_files import assert_safe, offered_name
from tests.core.test_jobs import celery_worker_process, needs_worker  # noqa: F401 (fixture)
from tests.factories import (
    AnnualGradeFactory,
    DesignationFactory,
    OpenClassFactory,
    TeacherFactory,
    TrainingFactory,
    user_with_role,
)
from tests.markers import needs_pdf_tools

pytestmark = needs_pdf_tools


def poppler(tool: str, data: bytes, tmp_path, *args) -> str:
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [tool, *args, str(path), "-"] if tool == "pdftotext" else [tool, str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def add_records(teacher, year: int, n: int = 1):
    for i in range(n):
        TrainingFactory(
            teacher=teacher, year=year, date=datetime.date(year, 10, 1), status="verified"
        )
        OpenClassFactory(
            teacher=teacher, year=year, date=datetime.date(year, 11, 5), status="verified"
        )
        Observation.objects.create(
            teacher=teacher, year=year, date=datetime.date(year, 12, 1), title=f"听课{i}",
            observed_name="赵老师", subject="语文", status="verified",
        )  # fmt: skip
        Paper.objects.create(
            teacher=teacher, year=year, date=datetime.date(year + 1, 3, 1), result_kind="paper",
            paper_title=f"论文{year}-{i}", progress="published", status="verified",
        )  # fmt: skip
    TrainingFactory(teacher=teacher, year=year, status="submitted")  # pending: counted only
    AnnualGradeFactory(teacher=teacher, year=year, grade=4)


@pytest.fixture
def dossier_teacher(school):
    teacher = TeacherFactory(school=school, name="王芳", staff_no="W001")
    DesignationFactory(teacher=teacher, first_year=2025, last_year=2026)
    add_records(teacher, 2025)
    add_records(teacher, 2026)
    return teacher


def request_dossier(client, teacher, capture):
    with capture(execute=True):
        response = client.post(reverse("documents:dossier", args=[teacher.pk]))
    assert response.status_code == 302
    return Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def download(client, job) -> bytes:
    response = client.get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_dossier_prints_name_school_tier_in_a_cjk_font_with_page_numbers(
    login, training_office, dossier_teacher, django_capture_on_commit_callbacks, tmp_path
):
    client = login(training_office)
    job = request_dossier(client, dossier_teacher, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    assert job.size and job.percent == 100
    data = download(client, job)
    assert data.startswith(b"%PDF")
    text = poppler("pdftotext", data, tmp_path)
    assert "王芳" in text and "城关第一小学" in text and "校级骨干教师" in text
    assert "第" in text and "页" in text and "共" in text
    assert "论文2025-0" in text and "2026–2027" in text
    assert "NotoSansCJK" in poppler("pdffonts", data, tmp_path).replace("-", "")
    pages = int(poppler("pdfinfo", data, tmp_path).split("Pages:")[1].split()[0])
    assert pages >= 2


def test_an_english_dossier_says_page_n_of_m(
    login, dossier_teacher, training_office, django_capture_on_commit_callbacks, tmp_path
):
    client = login(training_office)
    client.cookies["django_language"] = "en"
    training_office.language = "en"
    training_office.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("documents:dossier", args=[dossier_teacher.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    job = Job.objects.get()
    assert job.language == "en"
    text = poppler("pdftotext", download(client, job), tmp_path)
    assert "Page 2 of" in text and "Teacher dossier" in text and "王芳" in text


def test_the_same_request_twice_yields_one_job_and_a_data_change_a_new_file(
    login, principal, dossier_teacher, django_capture_on_commit_callbacks
):
    client = login(principal)
    first = request_dossier(client, dossier_teacher, django_capture_on_commit_callbacks)
    again = request_dossier(client, dossier_teacher, django_capture_on_commit_callbacks)
    assert again.pk == first.pk and Job.objects.count() == 1

    TrainingFactory(teacher=dossier_teacher, year=2026, status="verified")
    changed = request_dossier(client, dossier_teacher, django_capture_on_commit_callbacks)
    assert changed.pk != first.pk and changed.status == Job.Status.DONE
    assert changed.file.name != first.file.name


def test_the_file_removed_means_the_dossier_is_printed_again(
    login, principal, dossier_teacher, django_capture_on_commit_callbacks
):
    client = login(principal)
    first = request_dossier(client, dossier_teacher, django_capture_on_commit_callbacks)
    first.file.delete(save=False)
    second = request_dossier(client, dossier_teacher, django_capture_on_commit_callbacks)
    assert second.pk != first.pk and second.status == Job.Status.DONE


def test_gathering_costs_the_same_queries_for_more_records(school, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n):
        teacher = TeacherFactory(school=school)
        DesignationFactory(teacher=teacher, first_year=2025, last_year=2026)
        add_records(teacher, 2025, n)
        add_records(teacher, 2026, n)
        teacher = (
            type(teacher).objects.select_related("school__district", "group").get(pk=teacher.pk)
        )
        with CaptureQueriesContext(connection) as ctx:
            dossier = dossier_data(teacher=teacher)
        assert len(dossier.years) == 2
        return len(ctx.captured_queries)

    assert queries(1) == queries(6)


def test_a_batch_zip_holds_one_pdf_per_teacher(
    login, training_office, school, dossier_teacher, django_capture_on_commit_callbacks
):
    TeacherFactory(school=school, name="陈静", staff_no="C002")
    client = login(training_office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents:dossier_batch"), {"school": school.pk, "format": "zip"}
        )
    job = Job.objects.get()
    assert response.url == reverse("job", args=[job.pk])
    assert job.status == Job.Status.DONE, job.error
    names = zipfile.ZipFile(io.BytesIO(download(client, job))).namelist()
    assert len(names) == 2 and any("王芳" in n for n in names) and any("陈静" in n for n in names)


def test_a_teacher_named_like_a_path_gets_a_dossier_under_a_safe_name(
    login, training_office, dossier_teacher, django_capture_on_commit_callbacks
):
    dossier_teacher.name = "../../x"
    dossier_teacher.save()
    client = login(training_office)
    job = request_dossier(client, dossier_teacher, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    response = client.get(reverse("job_download", args=[job.pk]))
    assert_safe(offered_name(response["Content-Disposition"]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_name_stored_with_a_control_character_still_prints(
    login, training_office, dossier_teacher, django_capture_on_commit_callbacks, tmp_path
):
    # Stored before forms and imports refused control characters.
    dossier_teacher.name = "王\x08芳\x1b"
    dossier_teacher.save()
    client = login(training_office)
    job = request_dossier(client, dossier_teacher, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    assert "王芳" in poppler("pdftotext", download(client, job), tmp_path)


def test_batch_zip_members_are_plain_names_whatever_the_teachers_are_called(
    login, training_office, school, dossier_teacher, django_capture_on_commit_callbacks
):
    for i, name in enumerate(["../../x", "a/b\\c", "李\x08雪", "长" * 50, "../../x"]):
        TeacherFactory(school=school, name=name, staff_no=f"H00{i}")
    client = login(training_office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:dossier_batch"), {"school": school.pk, "format": "zip"})
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.error
    names = zipfile.ZipFile(io.BytesIO(download(client, job))).namelist()
    assert len(names) == len(set(names)) == 6
    for name in names:
        assert_safe(name)
        assert name.endswith(".pdf")


def test_a_combined_batch_has_a_contents_page_with_every_name(
    login, principal, school, dossier_teacher, django_capture_on_commit_callbacks, tmp_path
):
    other = TeacherFactory(school=school, name="陈静", staff_no="C002")
    TeacherFactory(school=school, name="不选的", staff_no="X003")
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("documents:dossier_batch"),
            {"school": school.pk, "format": "combined", "teachers": [dossier_teacher.pk, other.pk]},
        )
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.error
    text = poppler("pdftotext", download(client, job), tmp_path)
    contents = text.split("Contents")[1] if "Contents" in text else text.split("目录")[1]
    contents = contents.split("\f")[0]
    assert "王芳" in contents and "陈静" in contents and "不选的" not in text


def test_a_batch_filtered_by_tier_takes_only_its_designated_teachers(
    login, principal, school, dossier_teacher, django_capture_on_commit_callbacks
):
    from tests.factories import tier

    TeacherFactory(school=school, name="陈静", staff_no="C002")
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("documents:dossier_batch"),
            {"school": school.pk, "format": "zip", "tier": tier(school.district).pk},
        )
    job = Job.objects.get()
    assert job.total == 2  # one teacher + packing
    names = zipfile.ZipFile(io.BytesIO(download(client, job))).namelist()
    assert len(names) == 1 and "王芳" in names[0]


def test_a_failing_dossier_names_the_font_package_and_retry_completes_it(
    login, principal, dossier_teacher, django_capture_on_commit_callbacks, monkeypatch
):
    client = login(principal)
    monkeypatch.setattr(pdf, "cjk_font_installed", lambda: False)
    job = request_dossier(client, dossier_teacher, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "fonts-noto-cjk" in page and "Traceback" not in page

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and Job.objects.count() == 1


def test_another_schools_principal_reaches_neither_the_job_nor_the_teacher(
    login, principal, outsider, dossier_teacher, django_capture_on_commit_callbacks
):
    job = request_dossier(login(principal), dossier_teacher, django_capture_on_commit_callbacks)
    client = login(outsider)
    assert client.get(reverse("job", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404
    assert client.post(reverse("job_regenerate", args=[job.pk])).status_code == 404
    assert client.post(reverse("documents:dossier", args=[dossier_teacher.pk])).status_code == 404
    response = client.post(
        reverse("documents:dossier_batch"), {"school": dossier_teacher.school_id, "format": "zip"}
    )
    assert response.status_code == 200 and Job.objects.count() == 1  # form error, no job


def test_a_teacher_prints_their_own_dossier_but_not_a_colleagues(
    login, teacher_user, dossier_teacher, django_capture_on_commit_callbacks
):
    client = login(teacher_user)
    own = teacher_user.teacher
    job = request_dossier(client, own, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    assert client.post(reverse("documents:dossier", args=[dossier_teacher.pk])).status_code == 404


def test_the_detail_page_offers_print_to_the_office_not_to_the_committee(
    login, training_office, committee_member, dossier_teacher
):
    url = reverse("teachers:detail", args=[dossier_teacher.pk])
    action = reverse("documents:dossier", args=[dossier_teacher.pk])
    assert action in login(training_office).get(url).content.decode()
    page = login(committee_member).get(url).content.decode()
    assert action not in page
    assert (
        login(committee_member)
        .post(reverse("documents:dossier", args=[dossier_teacher.pk]))
        .status_code
        == 403
    )


def test_build_dossier_writes_the_pdf_and_rejects_bad_codes(dossier_teacher, tmp_path):
    out = tmp_path / "d.pdf"
    call_command("build_dossier", school="A001", teacher="W001", out=str(out))
    assert out.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="ZZZ"):
        call_command("build_dossier", school="ZZZ", teacher="W001", out=str(out))
    with pytest.raises(CommandError, match="NOPE"):
        call_command("build_dossier", school="A001", teacher="NOPE", out=str(out))


def test_the_html_switch_shows_the_dossier_markup(dossier_teacher, tmp_path):
    out = tmp_path / "d.html"
    call_command("build_dossier", school="A001", teacher="W001", out=str(out), html=True)
    assert "王芳" in out.read_text(encoding="utf-8")


def test_jobs_page_shows_school_jobs_to_the_office_not_to_another_committee(
    login, teacher_user, training_office, other_school, django_capture_on_commit_callbacks
):
    request_dossier(login(teacher_user), teacher_user.teacher, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    page = login(training_office).get(reverse("jobs")).content.decode()
    assert reverse("job", args=[job.pk]) in page and "teacher" in page  # requester shown
    assert login(training_office).get(reverse("job_download", args=[job.pk])).status_code == 200
    stranger = user_with_role(Role.COMMITTEE, school=other_school, username="stranger")
    page = login(stranger).get(reverse("jobs")).content.decode()
    assert reverse("job", args=[job.pk]) not in page
    assert login(stranger).get(reverse("job", args=[job.pk])).status_code == 404


@needs_worker
@pytest.mark.worker
def test_a_real_worker_prints_a_dossier_with_progress_and_download(
    request,
    celery_worker_process,  # noqa: F811
    settings,
    client,
    school,
    tmp_path,
):
    import time

    from config.celery import app

    settings.JOBS_INLINE = False
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = celery_worker_process
    request.addfinalizer(lambda: setattr(app.conf, "task_default_queue", previous_queue))
    office = user_with_role(Role.TRAINING_OFFICE, school=school)
    teacher = TeacherFactory(school=school, name="王芳", staff_no="W001")
    DesignationFactory(teacher=teacher, first_year=2025, last_year=2026)
    add_records(teacher, 2025)
    client.force_login(office)
    response = client.post(reverse("documents:dossier", args=[teacher.pk]))
    job = Job.objects.get()
    assert response.url == reverse("job", args=[job.pk])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert job.status == Job.Status.DONE, job.error
    text = poppler("pdftotext", download(client, job), tmp_path)
    assert "王芳" in text and "城关第一小学" in text
    # the same request again is served from the stored file, without a second job
    client.post(reverse("documents:dossier", args=[teacher.pk]))
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_a_rounds_grade_and_scores_reach_the_dossier_only_once_the_results_are_posted(school):
    """The teacher prints their own dossier: a finalised round's grade and score sheet stay
    on the round's pages until the 公示, as on the teacher's results page."""
    from assessment.models import AnnualGrade, AssessmentEntry, AssessmentRound, AssessmentTemplate
    from documents.dossier import dossier_fingerprint, with_data_stamps
    from teachers.models import Teacher

    teacher = TeacherFactory(school=school, name="孙老师")
    template = AssessmentTemplate.objects.create(
        district=school.district, name="年度考核", kind="annual", valid_from=2025
    )
    round = AssessmentRound.objects.create(
        school=school, template=template, title="2025学年考核", year=2025, status="finalised"
    )
    AssessmentEntry.objects.create(round=round, teacher=teacher, grade=4)
    AnnualGrade.objects.create(teacher=teacher, year=2025, grade=4, round=round)

    def printed():
        data = dossier_data(teacher=teacher, today=datetime.date(2026, 6, 1))
        section = next((y for y in data.years if y.year == 2025), None)
        return (section.grade, section.entries) if section else (None, [])

    def fingerprint():
        stamped = with_data_stamps(Teacher.objects.filter(pk=teacher.pk)).get()
        return dossier_fingerprint(teachers=[stamped], language="zh-hans")

    assert printed() == (None, [])
    before = fingerprint()
    round.status = "posted"
    round.notice_from = datetime.date(2026, 6, 1)
    round.notice_until = datetime.date(2026, 6, 7)
    round.save()
    grade, entries = printed()
    assert grade.grade == 4 and [e.teacher_id for e in entries] == [teacher.pk]
    assert fingerprint() != before  # a reprint after the 公示 is not the stored file
