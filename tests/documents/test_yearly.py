import datetime
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from backbone.models import Designation, ReserveEntry
from core.models import Job
from documents.svg import Series, bar_chart
from documents.tasks import finished_year, yearly_reports_create
from documents.yearly import parse_year, yearly_report
from tests.factories import (
    AnnualGradeFactory,
    DesignationFactory,
    TeacherFactory,
    TrainingFactory,
    tier,
)

YEAR = 2025
TODAY = datetime.date(2026, 9, 15)


@pytest.fixture
def dataset(school):
    """Five teachers of 2025–2026: one term ends, one new, one promoted, one revoked."""
    t1, t2, t3, t4, t5 = (TeacherFactory(school=school, name=f"教师{i}") for i in range(1, 6))
    school_tier, district_tier = tier(school.district, "school"), tier(school.district, "district")
    DesignationFactory(teacher=t1, tier=school_tier, first_year=2024, last_year=2025)
    DesignationFactory(teacher=t2, tier=school_tier, first_year=2025, last_year=2026)
    DesignationFactory(
        teacher=t3,
        tier=school_tier,
        first_year=2024,
        last_year=2025,
        status=Designation.Status.SUPERSEDED,
        closed_on=datetime.date(2026, 3, 1),
    )
    DesignationFactory(
        teacher=t3,
        tier=district_tier,
        first_year=2025,
        last_year=2027,
        source=Designation.Source.PROMOTION,
    )
    revoked = DesignationFactory(
        teacher=t4,
        tier=school_tier,
        first_year=2023,
        last_year=2025,
        status=Designation.Status.REVOKED,
        closed_on=datetime.date(2025, 12, 1),
    )
    AnnualGradeFactory(teacher=t1, year=YEAR, grade=4)
    AnnualGradeFactory(teacher=t2, year=YEAR, grade=3)
    AnnualGradeFactory(teacher=t3, year=YEAR, grade=3)
    AnnualGradeFactory(teacher=t5, year=YEAR, grade=1)
    TrainingFactory(teacher=t1, year=YEAR, hours=72, status="verified")
    TrainingFactory(teacher=t2, year=YEAR, hours=30, status="verified")
    ReserveEntry.objects.create(
        teacher=t2, tier=district_tier, reason="教学成绩突出", marked_on=datetime.date(2026, 3, 1)
    )
    return {"teachers": [t1, t2, t3, t4, t5], "revoked": revoked}


def test_roster_changes_grades_and_hours_of_a_school_year(dataset, school):
    report = yearly_report(year=YEAR, school=school, today=TODAY)
    rows = {r["tier"].code: r for r in report.roster_rows()}
    assert {
        k: rows["school"][k] for k in ("start", "new", "promoted", "revoked", "expired", "end")
    } == {
        "start": 3,
        "new": 1,
        "promoted": 0,
        "revoked": 1,
        "expired": 1,
        "end": 2,
    }
    assert (rows["district"]["start"], rows["district"]["promoted"], rows["district"]["end"]) == (
        0,
        1,
        1,
    )
    assert [r["count"] for r in report.grade_rows()] == [1, 2, 0, 1]  # excellent … unqualified
    assert [r["count"] for r in report.hour_rows()] == [3, 1, 0, 1]
    assert report.total.hours_met == 1
    t1, t2, *_rest, t5 = dataset["teachers"]
    assert {p.name for p in report.total.recommended} == {t1.name, t2.name}
    assert t5.name not in [p.name for p in report.total.flagged]  # unqualified, but no tier


def test_a_district_adds_up_its_schools(dataset, school):
    from tests.factories import SchoolFactory

    SchoolFactory(district=school.district)
    report = yearly_report(year=YEAR, district=school.district, today=TODAY)
    assert len(report.schools) == 2
    assert report.total.teachers == 5
    assert report.total.backbone_total == 3


def test_the_report_reads_in_a_bounded_number_of_queries(
    dataset, school, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):
        yearly_report(year=YEAR, district=school.district, today=TODAY)


def test_svg_labels_are_escaped():
    svg = bar_chart(labels=["<b>校级</b>"], series=[Series("a&b", [3])], title="骨干")
    assert "<b>" not in svg and "&lt;b&gt;校级" in svg and svg.startswith("<svg")


def test_parse_year():
    assert parse_year("2025-2026") == parse_year("2025–2026") == 2025
    with pytest.raises(ValueError):
        parse_year("2025-2027")


# -- jobs ----------------------------------------------------------------------------------------
def _request(login, user, django_capture_on_commit_callbacks, **data):
    client = login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:yearly"), data)
    assert response.status_code == 302
    return Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_the_pdf_report_job_end_to_end(
    dataset, school, principal, login, django_capture_on_commit_callbacks, tmp_path
):
    job = _request(
        login,
        principal,
        django_capture_on_commit_callbacks,
        owner=f"school={school.pk}",
        year=YEAR,
        format="pdf",
    )
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    data = job.file.read()
    assert data.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    assert (
        int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages"))) >= 1
    )
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
    assert school.name in text
    assert "校级骨干教师" in text
    with translation.override(job.language):
        assert str(translation.gettext("Annual assessment grades")) in text  # an SVG chart title
    fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True).stdout
    assert "CJK" in fonts


def test_the_xlsx_report_job_has_a_sheet_per_section(
    dataset, school, district_office, login, django_capture_on_commit_callbacks
):
    job = _request(
        login,
        district_office,
        django_capture_on_commit_callbacks,
        owner=f"district={school.district.pk}",
        year=YEAR,
        format="xlsx",
    )
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    sheets = openpyxl.load_workbook(job.file).sheetnames
    with translation.override(job.language):
        expected = [
            translation.gettext(n)
            for n in (
                "Roster",
                "Duties",
                "Grades",
                "Training hours",
                "Mentoring",
                "Targets",
                "Groups",
                "Recommended",
                "Flagged",
                "Schools",
            )
        ]
    assert sheets == expected


def test_a_teacher_cannot_request_a_report(teacher_user, login):
    assert login(teacher_user).get(reverse("documents:yearly")).status_code == 404


def test_a_principal_cannot_request_another_schools_report(school, other_school, principal, login):
    response = login(principal).post(
        reverse("documents:yearly"),
        {"owner": f"school={other_school.pk}", "year": YEAR, "format": "pdf"},
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not Job.objects.exists()


# -- the command ---------------------------------------------------------------------------------
def test_the_command_writes_the_file(dataset, school, tmp_path):
    out = tmp_path / "r.xlsx"
    call_command("yearly_report", "--school", school.code, "--year", "2025-2026", "--out", str(out))
    assert out.stat().st_size > 0


def test_the_command_refuses_a_bad_school_code_or_year(school, tmp_path):
    out = str(tmp_path / "r.pdf")
    with pytest.raises(CommandError, match="NOPE"):
        call_command("yearly_report", "--school", "NOPE", "--year", "2025-2026", "--out", out)
    with pytest.raises(CommandError, match="school year"):
        call_command("yearly_report", "--school", school.code, "--year", "20x5", "--out", out)


# -- beat ----------------------------------------------------------------------------------------
def test_scheduled_reports_are_created_once_per_school_and_year(school, principal, settings):
    settings.YEARLY_REPORT_AFTER = "09-10"
    assert finished_year(datetime.date(2026, 9, 9)) == 2024
    assert finished_year(datetime.date(2026, 9, 10)) == 2025
    first = yearly_reports_create(today=datetime.date(2026, 9, 12))
    again = yearly_reports_create(today=datetime.date(2026, 9, 13))
    assert len(first) == 1 and again == []
    job = Job.objects.get()
    assert (job.kind, job.school, job.requested_by, job.params["year"]) == (
        "yearly_report",
        school,
        principal,
        2025,
    )


def test_the_request_page_offers_the_users_school(school, principal, login):
    response = login(principal).get(reverse("documents:yearly"))
    assert response.status_code == 200
    assert school.name in response.text


# -- reuse of a finished report ------------------------------------------------------------------
def test_the_same_report_request_twice_returns_the_finished_job(
    dataset, school, principal, training_office, login, django_capture_on_commit_callbacks
):
    data = {"owner": f"school={school.pk}", "year": YEAR, "format": "xlsx"}
    first = _request(login, principal, django_capture_on_commit_callbacks, **data)
    assert first.status == Job.Status.DONE and first.file and first.fingerprint
    again = _request(login, principal, django_capture_on_commit_callbacks, **data)
    assert again.pk == first.pk and Job.objects.count() == 1

    # another format, another user: their own files
    _request(login, principal, django_capture_on_commit_callbacks, **{**data, "format": "pdf"})
    _request(login, training_office, django_capture_on_commit_callbacks, **data)
    assert Job.objects.count() == 3


def test_a_change_in_the_numbers_makes_a_new_report(
    dataset, school, principal, login, django_capture_on_commit_callbacks
):
    data = {"owner": f"school={school.pk}", "year": YEAR, "format": "xlsx"}
    first = _request(login, principal, django_capture_on_commit_callbacks, **data)
    t4 = dataset["teachers"][3]
    AnnualGradeFactory(teacher=t4, year=YEAR, grade=4)
    changed = _request(login, principal, django_capture_on_commit_callbacks, **data)
    assert changed.pk != first.pk and changed.status == Job.Status.DONE
    assert _request(login, principal, django_capture_on_commit_callbacks, **data).pk == changed.pk


def test_a_district_report_reuses_its_file_too(
    dataset, school, district_office, login, django_capture_on_commit_callbacks
):
    data = {"owner": f"district={school.district.pk}", "year": YEAR, "format": "xlsx"}
    first = _request(login, district_office, django_capture_on_commit_callbacks, **data)
    again = _request(login, district_office, django_capture_on_commit_callbacks, **data)
    assert again.pk == first.pk
    TrainingFactory(teacher=dataset["teachers"][4], year=YEAR, hours=80, status="verified")
    assert _request(login, district_office, django_capture_on_commit_callbacks, **data) != first
