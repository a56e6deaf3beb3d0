import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessment.models import AssessmentRound, Grade
from assessment.services import rounds as services
from core.models import Job
from documents import sheets
from tests.core.test_jobs import celery_worker_process, needs_worker, route_jobs_to  # noqa: F401
from tests.documents.test_dossier import download, poppler
from tests.factories import DesignationFactory, TeacherFactory
from tests.markers import needs_pdf_tools

YEAR = 2025
# staff number, name, percent of the maximum every component gets: ranks 3, 1, 2
TEACHERS = [("B000", "王芳", 70), ("B001", "陈静", 92), ("B002", "刘洋", 81)]


def open_round(school, principal, committee, teachers=TEACHERS):
    for staff_no, name, _percent in teachers:
        teacher = TeacherFactory(school=school, staff_no=staff_no, name=name)
        DesignationFactory(teacher=teacher, first_year=YEAR, last_year=YEAR + 2)
    return services.round_open(
        school=school, kind="annual", year=YEAR, title="年度考核", committee=committee,
        by=principal,
    )  # fmt: skip


def score_by_teacher(round, member, teachers=TEACHERS):
    percent = {staff_no: p for staff_no, _name, p in teachers}
    values = {
        (e.pk, c.pk): Decimal(c.max_score) * percent.get(e.teacher.staff_no, 75) / 100
        for e in round.entries.select_related("teacher")
        for c in round.template.components.all()
    }
    services.score_sheet_save(round=round, member=member, values=values)
    services.score_sheet_submit(round=round, member=member)


@pytest.fixture
def finalised(school, principal, committee_member):
    round = open_round(school, principal, [committee_member])
    score_by_teacher(round, committee_member)
    services.round_finalise(round=round, by=principal)
    today = timezone.localdate()
    services.round_post(
        round=round, by=principal, notice_from=today, notice_until=today + datetime.timedelta(7)
    )
    return AssessmentRound.objects.get(pk=round.pk)


def request(client, url, capture):
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302, response.status_code
    return Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def notice_url(round):
    return reverse("documents:round_print_notice", args=[round.pk])


def forms_url(round):
    return reverse("documents:round_print_forms", args=[round.pk])


def form_url(round, entry):
    return reverse("documents:round_print_form", args=[round.pk, entry.pk])


def grade_label(entry) -> str:
    with translation.override("zh-hans"):
        return str(Grade(entry.grade).label)


# -- the documents -------------------------------------------------------------------------------
@needs_pdf_tools
def test_the_notice_lists_every_assessed_teacher_in_rank_order(
    login, training_office, finalised, django_capture_on_commit_callbacks, tmp_path
):
    job = request(login(training_office), notice_url(finalised), django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    data = download(login(training_office), job)
    assert data.startswith(b"%PDF")
    text = poppler("pdftotext", data, tmp_path)
    assert "城关第一小学" in text and "年度考核" in text and "考核结果公示" in text
    positions = [text.index(name) for name in ("陈静", "刘洋", "王芳")]
    assert positions == sorted(positions)  # 92 %, 81 %, 70 %
    for entry in finalised.entries.all():
        assert f"{entry.score:.2f}" in text
        assert grade_label(entry) in text
    assert "第1页" in text.replace(" ", "") and "共1页" in text.replace(" ", "")
    assert "公示期为" in text  # the notice period and where questions go


@needs_pdf_tools
def test_a_teachers_form_prints_profile_items_scores_grade_and_no_scorer(
    login, principal, committee_member, finalised, django_capture_on_commit_callbacks, tmp_path
):
    committee_member.last_name, committee_member.first_name = "赵", "评委"
    committee_member.save()
    entry = finalised.entries.select_related("teacher").get(teacher__staff_no="B001")
    client = login(principal)
    job = request(client, form_url(finalised, entry), django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    text = poppler("pdftotext", download(client, job), tmp_path)
    assert "陈静" in text and "B001" in text and "城关第一小学" in text
    assert "校级骨干教师" in text and grade_label(entry) in text and f"{entry.score:.2f}" in text
    for component in finalised.template.components.all():
        assert component.name in text and f"{Decimal(component.max_score) * 92 / 100:.1f}" in text
    assert "王芳" not in text and "刘洋" not in text
    assert "评委" not in text  # the office reads averages, never who gave which score


@needs_pdf_tools
def test_the_combined_forms_have_contents_and_one_section_per_teacher(
    login, training_office, finalised, django_capture_on_commit_callbacks, tmp_path
):
    client = login(training_office)
    job = request(client, forms_url(finalised), django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    assert job.total == len(TEACHERS) + 1 and job.percent == 100
    pages = poppler("pdftotext", download(client, job), tmp_path).split("\f")
    contents = next(p for p in pages if "Contents" in p or "目录" in p)
    assert all(name in contents for _no, name, _p in TEACHERS)
    with translation.override(job.language):
        title = translation.gettext("Assessment form of a backbone teacher")
    starts = [p for p in pages if title in p]
    assert len(starts) == len(TEACHERS)
    # each section opens on its own page, under its teacher's running header
    headers = [p.strip().splitlines()[0] for p in starts]
    assert [h.split(" · ")[0].strip() for h in headers] == ["陈静", "刘洋", "王芳"]


@needs_pdf_tools
def test_an_english_user_gets_the_notice_in_english(
    login, training_office, finalised, django_capture_on_commit_callbacks, tmp_path
):
    training_office.language = "en"
    training_office.save()
    client = login(training_office)
    job = request(client, notice_url(finalised), django_capture_on_commit_callbacks)
    assert job.language == "en" and job.status == Job.Status.DONE, job.error
    text = poppler("pdftotext", download(client, job), tmp_path)
    assert "Page 1 of 1" in text and "Total score" in text and "Rank" in text
    entry = finalised.entries.get(teacher__staff_no="B001")
    with translation.override("en"):
        assert str(Grade(entry.grade).label) in text
    assert "陈静" in text  # names stay as they are


@needs_pdf_tools
@needs_worker
@pytest.mark.worker
def test_a_real_worker_prints_the_combined_forms(
    request,
    celery_worker_process,  # noqa: F811
    settings,
    login,
    training_office,
    finalised,
    tmp_path,
):
    import time

    settings.JOBS_INLINE = False
    route_jobs_to(request, celery_worker_process)
    client = login(training_office)
    response = client.post(forms_url(finalised))
    job = Job.objects.get()
    assert response.url == reverse("job", args=[job.pk])
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not job.is_finished:
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    text = poppler("pdftotext", download(client, job), tmp_path)
    assert all(name in text for _no, name, _p in TEACHERS)


# -- reuse ---------------------------------------------------------------------------------------
def test_the_same_request_twice_yields_one_job_and_a_change_a_new_one(
    login, principal, finalised, django_capture_on_commit_callbacks
):
    client = login(principal)
    first = request(client, notice_url(finalised), django_capture_on_commit_callbacks)
    again = request(client, notice_url(finalised), django_capture_on_commit_callbacks)
    assert again.pk == first.pk and Job.objects.count() == 1 and first.file

    teacher = finalised.entries.get(teacher__staff_no="B000").teacher
    teacher.subject = "数学"
    teacher.save()
    changed = request(client, notice_url(finalised), django_capture_on_commit_callbacks)
    assert changed.pk != first.pk and Job.objects.count() == 2

    # one teacher's form is its own document, reused the same way
    entry = finalised.entries.get(teacher__staff_no="B001")
    form = request(client, form_url(finalised, entry), django_capture_on_commit_callbacks)
    assert request(client, form_url(finalised, entry), django_capture_on_commit_callbacks) == form
    assert Job.objects.count() == 3


# -- who may print, and when ---------------------------------------------------------------------
def test_another_schools_user_gets_404_and_cannot_download(
    login, principal, outsider, finalised, django_capture_on_commit_callbacks
):
    job = request(login(principal), notice_url(finalised), django_capture_on_commit_callbacks)
    entry = finalised.entries.first()
    client = login(outsider)
    for url in (notice_url(finalised), forms_url(finalised), form_url(finalised, entry)):
        assert client.post(url).status_code == 404
    assert client.get(reverse("job", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404
    assert Job.objects.count() == 1


def test_the_district_office_prints_and_the_committee_may_not(
    login, district_office, committee_member, finalised, django_capture_on_commit_callbacks
):
    job = request(login(district_office), notice_url(finalised), django_capture_on_commit_callbacks)
    assert job.school_id == finalised.school_id and job.requested_by == district_office
    assert login(committee_member).post(notice_url(finalised)).status_code == 403
    page = login(committee_member).get(reverse("assessment:round", args=[finalised.pk])).text
    assert notice_url(finalised) not in page
    page = login(district_office).get(reverse("assessment:round", args=[finalised.pk])).text
    assert notice_url(finalised) in page and forms_url(finalised) in page


def test_an_entry_of_another_round_is_not_found(login, principal, finalised, school):
    other = AssessmentRound.objects.create(
        school=school, template=finalised.template, title="另一轮", year=YEAR
    )
    entry = finalised.entries.first()
    assert login(principal).post(form_url(other, entry)).status_code == 404


def test_a_round_still_scoring_is_refused_before_any_job(
    login, school, principal, training_office, committee_member
):
    training_office.language = "en"
    training_office.save()
    round = open_round(school, principal, [committee_member])
    client = login(training_office)
    detail = client.get(reverse("assessment:round", args=[round.pk])).text
    assert notice_url(round) not in detail
    assert "can be printed once the round is finalised" in detail
    response = client.post(notice_url(round), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessment:round", args=[round.pk])
    assert "The round has no scored teachers yet" in response.text
    assert not Job.objects.exists()


def test_the_office_sees_the_print_buttons_once_finalised(login, training_office, finalised):
    page = login(training_office).get(reverse("assessment:round", args=[finalised.pk])).text
    assert notice_url(finalised) in page and forms_url(finalised) in page
    for entry in finalised.entries.all():
        assert form_url(finalised, entry) in page


def test_a_job_refuses_a_round_the_requester_can_no_longer_print(
    login, training_office, finalised, django_capture_on_commit_callbacks
):
    client = login(training_office)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(notice_url(finalised))
    training_office.role_assignments.all().delete()
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "Traceback" not in job.error and job.error


def test_a_notice_before_posting_leaves_the_period_and_seal_date_to_fill_in(
    school, principal, committee_member
):
    round = open_round(school, principal, [committee_member])
    score_by_teacher(round, committee_member)
    services.round_finalise(round=round, by=principal)
    round = AssessmentRound.objects.select_related("school__district", "template").get()
    html = sheets.sheets_html(
        data=sheets.round_sheets(round=round), kind=sheets.KIND_NOTICE, language="en"
    )
    assert "Notice period" in html and "(seal)" in html and "Posted from" not in html
    assert "城关第一小学" in html


# -- gathering -----------------------------------------------------------------------------------
def test_gathering_costs_the_same_queries_for_more_teachers(school, principal, committee_member):
    def queries(teachers):
        AssessmentRound.objects.all().delete()
        round = open_round(school, principal, [committee_member], teachers)
        score_by_teacher(round, committee_member, teachers)
        services.round_finalise(round=round, by=principal)
        round = AssessmentRound.objects.select_related("school__district", "template").get()
        with CaptureQueriesContext(connection) as ctx:
            data = sheets.round_sheets(round=round)
        assert [r.rank for r in data.rows] == sorted(r.rank for r in data.rows)
        return len(ctx.captured_queries)

    few = [("F000", "甲", 80), ("F001", "乙", 70)]
    many = [(f"M{i:03d}", f"教师{i}", 60 + i) for i in range(6)]
    assert queries(few) == queries(many)


def test_equal_scores_share_a_rank(school, principal, committee_member):
    teachers = [("E000", "甲", 80), ("E001", "乙", 90), ("E002", "丙", 80), ("E003", "丁", 60)]
    round = open_round(school, principal, [committee_member], teachers)
    score_by_teacher(round, committee_member, teachers)
    services.round_finalise(round=round, by=principal)
    data = sheets.round_sheets(round=round)
    assert [(r.teacher.name, r.rank) for r in data.rows] == [
        ("乙", 1),
        ("甲", 2),
        ("丙", 2),
        ("丁", 4),
    ]
