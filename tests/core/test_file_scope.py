"""A generated file holds only what every person who can download it may see (issue 12, items
1 and 2): a file shared with a school or a district is computed for that owner, not for the
requester's wider union of roles, and secret committee scores stay out of shared files."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from openpyxl import load_workbook

from assessment.models import AssessmentEntry
from assessment.services import rounds as assessment_services
from backbone.models import Candidate, SelectionRound
from core.jobs import job_create
from core.models import Job, Role, RoleAssignment
from scoring.models import Mark, Sheet
from scoring.services.panels import panel_reveal
from tests.factories import (
    DesignationFactory,
    DistrictFactory,
    SchoolFactory,
    TeacherFactory,
    TrainingFactory,
    tier,
    user_with_role,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def school_b(school):
    """A second school of the same district, with a teacher and her phone number."""
    b = SchoolFactory(district=school.district, code="A002", name="城关第二中学")
    TeacherFactory(school=b, name="乙校老师", staff_no="B001", phone="13900000002")
    return b


@pytest.fixture
def our_teacher(school):
    return TeacherFactory(school=school, name="甲校老师", staff_no="A001", phone="13900000001")


def run(client, url, data, capture) -> Job:
    with capture(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == Job.Status.DONE, job.error
    return job


def download(client, job) -> bytes:
    response = client.get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        " ".join(str(v) for v in row if v is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


# -- item 2: other schools' rows in a shared file -------------------------------------------------


def test_a_principal_who_sits_on_another_schools_committee_exports_their_schools_roster_only(
    school, school_b, our_teacher, principal, training_office, login, client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    RoleAssignment.objects.create(user=principal, role=Role.COMMITTEE, school=school_b)
    job = run(
        login(principal),
        reverse("teachers:export"),
        {"query": "", "owner": f"school={school.pk}"},
        django_capture_on_commit_callbacks,
    )
    assert job.school == school
    # School A's training office downloads it: school A's rows, none of school B's.
    text = xlsx_text(download(login(training_office), job))
    assert "甲校老师" in text and "13900000001" in text
    assert "乙校老师" not in text and "13900000002" not in text


def test_the_owner_select_is_shown_only_to_users_with_a_choice_and_checked(
    school, school_b, other_school, principal, training_office, login
):
    client = login(training_office)
    assert 'name="owner"' not in client.get(reverse("teachers:list")).content.decode()
    RoleAssignment.objects.create(user=principal, role=Role.COMMITTEE, school=school_b)
    client = login(principal)
    page = client.get(reverse("teachers:list")).content.decode()
    assert f'value="school={school.pk}"' in page and f'value="school={school_b.pk}"' in page
    for bad in (f"school={other_school.pk}", "school=abc", "district=1=2", ""):
        response = client.post(reverse("teachers:export"), {"query": "", "owner": bad})
        assert response.status_code == 400, bad
        assert response.context["form"].errors["owner"], bad
    assert not Job.objects.exists()


def test_a_district_officer_on_a_committee_of_another_district_exports_their_district_only(
    school, school_b, our_teacher, district_office, login, django_capture_on_commit_callbacks
):
    far = SchoolFactory(
        district=DistrictFactory(code="X", name="外区"), code="X001", name="外区中学"
    )
    TeacherFactory(school=far, name="外区老师", staff_no="X001", phone="13900000009")
    officer = user_with_role(Role.DISTRICT_OFFICE, district=school.district, username="officer2")
    RoleAssignment.objects.create(user=officer, role=Role.COMMITTEE, school=far)
    job = run(
        login(officer),
        reverse("teachers:export"),
        {"query": "", "owner": f"district={school.district_id}"},
        django_capture_on_commit_callbacks,
    )
    assert job.district == school.district
    text = xlsx_text(download(login(district_office), job))
    assert "甲校老师" in text and "乙校老师" in text
    assert "外区老师" not in text and "13900000009" not in text


def test_the_backbone_roster_and_the_compliance_overview_follow_the_owner_too(
    school, school_b, our_teacher, principal, training_office, login,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    RoleAssignment.objects.create(user=principal, role=Role.COMMITTEE, school=school_b)
    DesignationFactory(teacher=our_teacher)
    DesignationFactory(teacher=school_b.teachers.get())
    job = run(
        login(principal),
        reverse("backbone:roster_export"),
        {"query": "", "owner": f"school={school.pk}"},
        django_capture_on_commit_callbacks,
    )
    text = xlsx_text(download(login(training_office), job))
    assert "甲校老师" in text and "乙校老师" not in text
    job = run(
        login(principal),
        reverse("mentoring:overview_export"),
        {"query": "", "owner": f"school={school.pk}"},
        django_capture_on_commit_callbacks,
    )
    assert job.school == school


def test_a_finished_file_is_not_reused_for_another_owner(school, school_b, principal):
    RoleAssignment.objects.create(user=principal, role=Role.PRINCIPAL, school=school_b)
    first = Job.objects.create(
        kind="roster_export", requested_by=principal, school=school, fingerprint="f",
        status=Job.Status.DONE,
    )  # fmt: skip
    first.file.save("a.xlsx", io.BytesIO(b"x"))
    again = job_create(
        kind="roster_export", requested_by=principal, params={}, school=school, fingerprint="f"
    )
    other = job_create(
        kind="roster_export", requested_by=principal, params={}, school=school_b, fingerprint="f"
    )
    assert again == first and other != first and other.school == school_b


# -- item 1: secret scores in a colleague's file ------------------------------------------------


def header(model, field: str) -> str:
    """The column header of a model field in the export (the requester's language)."""
    with translation.override("zh-hans"):
        return capfirst(str(model._meta.get_field(field).verbose_name))


def csv_of(data: bytes, name: str) -> list[dict]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    text = archive.read(f"csv/{name}.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def selection_round(school, principal, committee_member, our_teacher):
    """Scoring runs: the committee member has submitted 88.5, the principal (also on the
    committee) has not; weighted score and rank are already computed."""
    round = SelectionRound.objects.create(
        school=school, tier=tier(school.district), title="骨干评选", year=2025, term_years=2,
        quota=1, apply_from="2025-09-01", apply_until="2025-09-30",
        status=SelectionRound.Status.SCORING,
    )  # fmt: skip
    round.committee.add(principal, committee_member)
    criterion = round.criteria.create(name="课堂教学", weight=100)
    candidate = Candidate.objects.create(
        round=round, teacher=our_teacher, source="applied", score="88.5", rank=1
    )
    sheet = Sheet.objects.create(
        panel=round.panel, member=committee_member, submitted_at=timezone.now()
    )
    Mark.objects.create(sheet=sheet, entrant=candidate.entrant, item=criterion, value="88.5")
    return round


@pytest.fixture
def assessment_round(school, principal, committee_member):
    teacher = TeacherFactory(school=school, staff_no="C001", name="考核老师")
    DesignationFactory(teacher=teacher, first_year=2025, last_year=2030)
    round = assessment_services.round_open(
        school=school, kind="annual", year=2025, title="年度考核",
        committee=[principal, committee_member], by=principal,
    )  # fmt: skip
    values = {
        (e.pk, c.pk): Decimal(c.max_score) * Decimal("0.87")
        for e in round.entries.all()
        for c in round.template.components.all()
    }
    assessment_services.score_sheet_save(round=round, member=committee_member, values=values)
    assessment_services.score_sheet_submit(round=round, member=committee_member)
    return round


def test_a_committee_member_who_has_not_scored_downloads_no_scores_from_the_offices_export(
    school, principal, training_office, district_office, selection_round, assessment_round,
    login, django_capture_on_commit_callbacks,
):  # fmt: skip
    job = run(
        login(training_office),
        reverse("data_export"),
        {"owner": f"school={school.pk}"},
        django_capture_on_commit_callbacks,
    )
    for downloader in (principal, district_office, training_office):
        data = download(login(downloader), job)
        assert csv_of(data, "selection_scores") == []
        (candidate,) = csv_of(data, "candidates")
        assert candidate[header(Candidate, "score")] == ""
        assert candidate[header(Candidate, "rank")] == ""
        assert csv_of(data, "assessment_scores") == []
        (entry,) = csv_of(data, "assessment_entries")
        assert entry[header(AssessmentEntry, "score")] == ""
        assert entry[header(AssessmentEntry, "grade")] == ""


def test_once_the_result_is_announced_the_shared_export_holds_the_scores_and_ranks(
    school, principal, training_office, selection_round, login,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    SelectionRound.objects.filter(pk=selection_round.pk).update(
        status=SelectionRound.Status.ANNOUNCED
    )
    panel_reveal(panel=selection_round.panel)  # what announcing the result does
    job = run(
        login(training_office),
        reverse("data_export"),
        {"owner": f"school={school.pk}"},
        django_capture_on_commit_callbacks,
    )
    data = download(login(principal), job)
    assert [row[header(Mark, "value")] for row in csv_of(data, "selection_scores")] == ["88.5"]
    (candidate,) = csv_of(data, "candidates")
    assert candidate[header(Candidate, "score")] == "88.50"
    assert candidate[header(Candidate, "rank")] == "1"


def test_scores_are_visible_to_a_files_audience_only_if_everyone_in_it_may_see_them(
    school, training_office, selection_round, assessment_round
):
    """The training office is off both committees and sees the scores on the round pages:
    a file for it alone may hold them, one shared with the school may not."""
    from core.job_files import FileAudience, scores_visible_to_audience

    alone = FileAudience(requester=training_office)
    shared = FileAudience(requester=training_office, school=school)
    assert scores_visible_to_audience(alone, selection_round)
    assert scores_visible_to_audience(alone, assessment_round)
    assert not scores_visible_to_audience(shared, selection_round)
    assert not scores_visible_to_audience(shared, assessment_round)
    assert Mark.objects.filter(sheet__panel__assessmentround=assessment_round).exists()


def test_a_shared_file_holds_neither_the_requesters_drafts_nor_their_profile_elsewhere(
    school, school_b, our_teacher, training_office, login, django_capture_on_commit_callbacks
):
    """The principal of A also teaches at B: A's roster shows none of B, not even the
    principal's own profile there. A principal who teaches at A: A's data export holds none of
    their drafts."""
    principal = user_with_role(Role.PRINCIPAL, school=school, username="p_and_teacher")
    RoleAssignment.objects.create(user=principal, role=Role.TEACHER, school=school_b)
    TeacherFactory(school=school_b, user=principal, name="兼课校长", staff_no="B009")
    job = run(
        login(principal),
        reverse("teachers:export"),
        {"query": "", "owner": f"school={school.pk}"},
        django_capture_on_commit_callbacks,
    )
    text = xlsx_text(download(login(training_office), job))
    assert "甲校老师" in text and "兼课校长" not in text

    teaching_principal = user_with_role(Role.PRINCIPAL, school=school, username="p_teaches")
    own = TeacherFactory(school=school, user=teaching_principal, name="本校校长", staff_no="A009")
    TrainingFactory(teacher=own, course="校长的草稿")
    job = run(
        login(teaching_principal),
        reverse("data_export"),
        {"owner": f"school={school.pk}"},
        django_capture_on_commit_callbacks,
    )
    records = zipfile.ZipFile(io.BytesIO(download(login(training_office), job)))
    assert "校长的草稿" not in records.read("csv/records.csv").decode("utf-8-sig")
