"""The complete data export (数据导出): one ZIP with a workbook, a CSV per table and every
attachment, limited to what the requester may see."""

import csv
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from backbone.models import Candidate, SelectionRound
from core.models import Job, Role
from mentoring.models import GuidanceSession, Pairing
from records.services.files import attachment_add
from records.services.workflow import record_submit
from scoring.models import Mark, Sheet
from scoring.services.panels import panel_reveal
from tests.factories import (
    DesignationFactory,
    SchoolFactory,
    TeacherFactory,
    TrainingFactory,
    tier,
    user_with_role,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) + b"\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def submitted_training(user, *, course: str, file_name: str, content: bytes):
    """A training record with a certificate, submitted by its author."""
    record = TrainingFactory(teacher=user.teacher, course=course)
    attachment = attachment_add(
        record=record,
        upload=SimpleUploadedFile(file_name, content),
        role="certificate",
        by=user,
    )
    record_submit(record=record, by=user)
    return record, attachment


@pytest.fixture
def dataset(school, other_school, teacher_user):
    """Our school (a submitted record with a file, a draft, a designation, a private guidance
    session), a second school of the same district, and a school of another district."""
    ours, ours_file = submitted_training(
        teacher_user, course="区级继续教育：课堂提问", file_name="培训证书.pdf", content=PDF
    )
    draft = TrainingFactory(teacher=teacher_user.teacher, course="草稿：尚未提交")
    DesignationFactory(teacher=teacher_user.teacher, certificate_no="GL-2025-001")
    mentor = TeacherFactory(school=school, name="周师傅", staff_no="M001")
    pairing = Pairing.objects.create(
        school=school,
        mentor=mentor,
        apprentice=teacher_user.teacher,
        origin=Pairing.Origin.SCHOOL,
        status=Pairing.Status.ACTIVE,
        start_date="2025-09-01",
        end_date="2026-07-10",
        goals="站稳讲台",
        mentor_duties="每周听课两节",
        apprentice_duties="每周听课一节",
    )
    GuidanceSession.objects.create(
        pairing=pairing, date="2025-10-10", kind="debrief", notes="只给师徒两人看的话", private=True
    )
    neighbour = SchoolFactory(district=school.district, code="A002", name="城关第二小学")
    neighbour_user = user_with_role(Role.TEACHER, school=neighbour, username="neighbour")
    TeacherFactory(school=neighbour, user=neighbour_user, name="赵老师", staff_no="N001")
    submitted_training(
        neighbour_user, course="邻校培训", file_name="neighbour.pdf", content=PDF + b"n"
    )
    stranger_user = user_with_role(Role.TEACHER, school=other_school, username="stranger")
    TeacherFactory(school=other_school, user=stranger_user, name="钱老师", staff_no="X001")
    submitted_training(stranger_user, course="外区培训", file_name="secret.pdf", content=PDF + b"x")
    return {"record": ours, "file": ours_file, "draft": draft, "neighbour": neighbour}


def export(login, user, owner: str, capture) -> zipfile.ZipFile:
    client = login(user)
    with capture(execute=True):
        response = client.post(reverse("data_export"), {"owner": owner})
    assert response.status_code == 302
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert response.url == reverse("job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.file.name.endswith(".zip")
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))


def csv_rows(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    data = archive.read(f"csv/{name}.csv")
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def text_of(archive: zipfile.ZipFile, name: str) -> str:
    return archive.read(f"csv/{name}.csv").decode("utf-8-sig")


def test_a_school_export_holds_its_tables_rows_and_files_and_nothing_of_other_schools(
    dataset, school, principal, login, django_capture_on_commit_callbacks
):
    archive = export(login, principal, f"school={school.pk}", django_capture_on_commit_callbacks)
    names = archive.namelist()
    manifest = json.loads(archive.read("manifest.json"))
    tables = {t["name"]: t for t in manifest["tables"]}
    for name in ["schools", "teachers", "designations", "records", "trainings", "attachments"]:
        assert f"csv/{name}.csv" in names
    assert tables["teachers"]["rows"] == 2  # 李老师 and the mentor 周师傅
    assert tables["records"]["rows"] == 1  # the draft stays private to its author
    assert manifest["scope"]["schools"] == [{"code": school.code, "name": school.name}]
    assert manifest["exported_at"]

    teachers = text_of(archive, "teachers")
    assert "李老师" in teachers and "周师傅" in teachers
    assert "赵老师" not in teachers and "钱老师" not in teachers
    records = text_of(archive, "records")
    assert "区级继续教育：课堂提问" in records
    assert "草稿：尚未提交" not in records
    assert "邻校培训" not in records and "外区培训" not in records
    assert "GL-2025-001" in text_of(archive, "designations")
    # A private guidance session: that it happened, not what was said.
    sessions = text_of(archive, "guidance_sessions")
    assert "周师傅" in sessions and "只给师徒两人看的话" not in sessions

    files = [n for n in names if n.startswith("files/")]
    assert len(files) == 1
    assert all("neighbour" not in n and "secret" not in n for n in names)


def test_attachments_are_included_byte_identical_under_a_readable_path(
    dataset, school, training_office, login, django_capture_on_commit_callbacks
):
    archive = export(
        login, training_office, f"school={school.pk}", django_capture_on_commit_callbacks
    )
    record, attachment = dataset["record"], dataset["file"]
    path = f"files/records/{school.code}/L001/{record.pk}-{attachment.pk}-培训证书.pdf"
    assert archive.read(path) == PDF
    # The attachments table says which file belongs to which record.
    rows = csv_rows(archive, "attachments")
    assert rows[1][-1] == path


def test_attachment_paths_stay_inside_files_whatever_the_uploaded_name(
    dataset, school, training_office, login, django_capture_on_commit_callbacks
):
    attachment = dataset["file"]
    attachment.original_name = "../../" + "长" * 240 + "\x08.pdf"
    attachment.save()
    archive = export(
        login, training_office, f"school={school.pk}", django_capture_on_commit_callbacks
    )
    [path] = [n for n in archive.namelist() if n.startswith("files/")]
    assert archive.read(path) == PDF
    parts = path.split("/")
    assert len(parts) == 5 and ".." not in parts and "\x08" not in path
    assert all(len(part.encode()) <= 150 for part in parts) and path.endswith(".pdf")


def test_a_district_export_covers_the_schools_of_its_district_only(
    dataset, school, district_office, login, django_capture_on_commit_callbacks
):
    archive = export(
        login,
        district_office,
        f"district={school.district.pk}",
        django_capture_on_commit_callbacks,
    )
    schools = text_of(archive, "schools")
    assert school.name in schools and "城关第二小学" in schools and "河西中学" not in schools
    records = text_of(archive, "records")
    assert "区级继续教育：课堂提问" in records and "邻校培训" in records
    assert "外区培训" not in records
    files = [n for n in archive.namelist() if n.startswith("files/")]
    assert len(files) == 2
    assert not any("secret" in n for n in files)


def test_a_district_office_cannot_export_another_district(
    dataset, other_school, district_office, login
):
    client = login(district_office)
    response = client.post(reverse("data_export"), {"owner": f"school={other_school.pk}"})
    assert response.status_code == 200  # the form refuses a choice it does not offer
    assert not Job.objects.exists()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.COMMITTEE])
def test_teachers_and_committee_members_may_not_export(school, login, role):
    user = user_with_role(role, school=school)
    client = login(user)
    assert client.get(reverse("data_export")).status_code == 403
    response = client.post(reverse("data_export"), {"owner": f"school={school.pk}"})
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_the_csv_opens_with_chinese_intact_and_headers_in_the_requesters_language(
    dataset, school, principal, login, django_capture_on_commit_callbacks
):
    principal.language = "en"
    principal.save(update_fields=["language"])
    archive = export(login, principal, f"school={school.pk}", django_capture_on_commit_callbacks)
    rows = csv_rows(archive, "teachers")
    assert "Staff number" in rows[0] and "Full name" in rows[0]
    by_staff_no = {row[rows[0].index("Staff number")]: row for row in rows[1:]}
    assert by_staff_no["L001"][rows[0].index("Full name")] == "李老师"
    assert school.name in by_staff_no["L001"]


def test_the_workbook_has_a_sheet_per_table_with_the_same_rows(
    dataset, school, principal, login, django_capture_on_commit_callbacks
):
    archive = export(login, principal, f"school={school.pk}", django_capture_on_commit_callbacks)
    manifest = json.loads(archive.read("manifest.json"))
    workbook = load_workbook(io.BytesIO(archive.read(manifest["workbook"])), read_only=True)
    assert len(workbook.sheetnames) == len(manifest["tables"])
    for table in manifest["tables"]:
        sheet = workbook[table["sheets"][0]]
        assert sum(1 for _row in sheet.iter_rows()) == table["rows"] + 1  # with the header
    readme = archive.read("README.txt").decode("utf-8-sig")
    assert school.name in readme and "csv/teachers.csv" in readme


def test_text_that_looks_like_a_formula_stays_text(
    school, principal, teacher_user, login, django_capture_on_commit_callbacks
):
    record = TrainingFactory(teacher=teacher_user.teacher, course='=HYPERLINK("http://x")')
    record_submit(record=record, by=teacher_user)
    archive = export(login, principal, f"school={school.pk}", django_capture_on_commit_callbacks)
    manifest = json.loads(archive.read("manifest.json"))
    workbook = load_workbook(io.BytesIO(archive.read(manifest["workbook"])))
    sheet = workbook[next(t for t in manifest["tables"] if t["name"] == "records")["sheets"][0]]
    cell = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("="))
    assert cell.data_type == "s"
    assert "'=HYPERLINK" in text_of(archive, "records")


def test_the_page_is_in_the_navigation_and_explains_the_zip(school, principal, login):
    response = login(principal).get(reverse("data_export"))
    assert response.status_code == 200
    assert reverse("data_export") in {item.url for item in response.context["nav_links"]}
    assert "CSV" in response.content.decode() and school.name in response.content.decode()


def test_committee_scores_still_secret_to_anyone_who_may_download_are_left_out(
    school,
    principal,
    training_office,
    committee_member,
    teacher_user,
    login,
    django_capture_on_commit_callbacks,
):
    round = SelectionRound.objects.create(
        school=school,
        tier=tier(school.district),
        title="2025学年校级骨干评选",
        year=2025,
        term_years=2,
        quota=1,
        apply_from="2025-09-01",
        apply_until="2025-09-30",
        status=SelectionRound.Status.SCORING,
    )
    round.committee.add(principal, committee_member)
    criterion = round.criteria.create(name="课堂教学", weight=100)
    candidate = Candidate.objects.create(
        round=round, teacher=teacher_user.teacher, source="applied"
    )
    sheet = Sheet.objects.create(
        panel=round.panel, member=committee_member, submitted_at=timezone.now()
    )
    Mark.objects.create(sheet=sheet, entrant=candidate.entrant, item=criterion, value="88.5")

    # The principal sits on the committee and has not submitted: nobody's scores yet.
    archive = export(login, principal, f"school={school.pk}", django_capture_on_commit_callbacks)
    assert len(csv_rows(archive, "selection_scores")) == 1  # the header only
    assert "88.5" not in text_of(archive, "selection_scores")
    # The training office is off the committee and sees them on the round page, but its file
    # is shared with the principal and the district office: not in the file.
    archive = export(
        login, training_office, f"school={school.pk}", django_capture_on_commit_callbacks
    )
    assert "88.5" not in text_of(archive, "selection_scores")
    # Once the result is announced everyone who downloads the file may see the scores.
    SelectionRound.objects.filter(pk=round.pk).update(status=SelectionRound.Status.ANNOUNCED)
    panel_reveal(panel=round.panel)  # what announcing the result does
    archive = export(
        login, training_office, f"school={school.pk}", django_capture_on_commit_callbacks
    )
    assert "88.5" in text_of(archive, "selection_scores")


def test_the_job_refuses_a_requester_whose_role_was_withdrawn(
    school, principal, login, django_capture_on_commit_callbacks
):
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("data_export"), {"owner": f"school={school.pk}"})
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    principal.role_assignments.all().delete()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert not job.file


def test_the_district_page_lists_every_school_in_the_same_number_of_queries(
    school, district_office, login, count_queries
):
    from tests.factories import SchoolFactory

    client = login(district_office)
    SchoolFactory(district=school.district, name="城关第二小学")
    few = count_queries(client, reverse("data_export"))
    for n in range(6):
        SchoolFactory(district=school.district, name=f"城关第{n + 3}小学")
    page = client.get(reverse("data_export")).content.decode()

    assert "城关第8小学" in page  # each school of the district may be chosen on its own
    assert count_queries(client, reverse("data_export")) == few
