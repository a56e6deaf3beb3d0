"""The printed results notice (考核结果公示) explains a grade below the score's, names its
contact person and the notice's working days, and starts only once the results were confirmed."""

import datetime
import os
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessment.models import AssessmentRound, Grade
from assessment.services import rounds as services
from core.models import Job
from tests.documents.test_dossier import download, poppler
from tests.documents.test_result_sheets import notice_url, open_round, request, score_by_teacher
from tests.markers import needs_pdf_tools

# 陈静 has the top score but missed training without a valid reason.
TEACHERS = [("B000", "王芳", 70), ("B001", "陈静", 95), ("B002", "刘洋", 81)]


def shot(data: bytes, name: str) -> None:
    """Keep the first page as a PNG for a person to look at (var/shots, not committed)."""
    folder = os.path.join(os.path.dirname(__file__), "..", "..", "var", "shots")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}.pdf")
    with open(path, "wb") as f:
        f.write(data)
    subprocess.run(["pdftoppm", "-png", "-r", "60", path, path[:-4]], check=True)


@pytest.fixture
def absent_top(school, principal, committee_member):
    round = open_round(school, principal, [committee_member], teachers=TEACHERS)
    top = round.entries.get(teacher__staff_no="B001")
    services.entry_set_absence(
        entry=top, absent=True, by=principal, reason="区级培训三次未到，未请假"
    )
    score_by_teacher(round, committee_member, teachers=TEACHERS)
    services.round_finalise(round=round, by=principal)
    today = timezone.localdate()
    services.round_post(
        round=round, by=principal, notice_from=today, notice_until=today + datetime.timedelta(9),
        notice_contact="教科室 张老师 0571-88886666",
    )  # fmt: skip
    return AssessmentRound.objects.get(pk=round.pk)


@needs_pdf_tools
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_top_score_graded_unqualified_shows_why_and_the_contact_person(
    language, login, training_office, absent_top, django_capture_on_commit_callbacks, tmp_path
):
    training_office.language = language
    training_office.save()
    client = login(training_office)
    job = request(client, notice_url(absent_top), django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    data = download(client, job)
    shot(data, f"assessment-notice-{language}")
    text = " ".join(poppler("pdftotext", data, tmp_path).split())
    with translation.override(language):
        unqualified = str(Grade.UNQUALIFIED.label)
        reason = translation.gettext("Absent from training without a valid reason: %(grade)s.")
    top = absent_top.entries.get(teacher__staff_no="B001")
    assert top.grade == Grade.UNQUALIFIED and top.score > 90
    # a narrow column wraps the words anywhere: compare without the line breaks
    flat, wanted = text.replace(" ", ""), (reason % {"grade": unqualified}).replace(" ", "")
    assert wanted in flat
    assert flat.count(wanted) == 1  # only 陈静's row
    assert "教科室 张老师 0571-88886666" in text
    if language == "en":
        # 9 days from today hold 7 or 8 working days, whatever the weekday
        assert "working days" in text


def test_a_teacher_at_their_scores_grade_has_no_reason(absent_top):
    from documents import sheets

    data = sheets.round_sheets(
        round=AssessmentRound.objects.select_related("school", "template").get(pk=absent_top.pk)
    )
    with translation.override("en"):
        reasons = {row.teacher.staff_no: row.grade_reasons for row in data.rows}
    assert reasons["B000"] == [] and reasons["B002"] == []
    assert "Absent from training without a valid reason: Unqualified (不合格)." in reasons["B001"]


def test_the_notice_file_is_named_in_one_style_with_school_year_and_round(
    login, training_office, absent_top, django_capture_on_commit_callbacks
):
    training_office.language = "en"
    training_office.save()
    client = login(training_office)
    job = request(client, notice_url(absent_top), django_capture_on_commit_callbacks)
    name = job.file.name.rsplit("/", 1)[-1].replace("_", " ")  # storage: spaces become _
    assert name.startswith("城关第一小学 School year 2025-2026 年度考核 Results notice")
    assert name.endswith(".pdf")


# -- posting: not before the results were confirmed, with a contact person --------------------
def finalised_round(school, principal, committee_member, days_ago: int) -> AssessmentRound:
    round = open_round(school, principal, [committee_member], teachers=TEACHERS)
    score_by_teacher(round, committee_member, teachers=TEACHERS)
    services.round_finalise(round=round, by=principal)
    confirmed = timezone.now() - datetime.timedelta(days=days_ago)
    AssessmentRound.objects.filter(pk=round.pk).update(finalised_at=confirmed)
    return round


def post(client, round, start, **extra):
    data = {
        "notice_from": start,
        "notice_until": start + datetime.timedelta(days=7),
        "notice_contact": "张老师",
        **extra,
    }
    return client.post(
        reverse("assessment:round_post", args=[round.pk]), data, follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip


def test_the_notice_cannot_start_before_the_results_were_confirmed(
    login, school, principal, committee_member
):
    round = finalised_round(school, principal, committee_member, days_ago=2)
    client = login(principal)
    response = post(client, round, timezone.localdate() - datetime.timedelta(days=5))
    assert "The notice cannot start before the results were confirmed on" in response.text
    round.refresh_from_db()
    assert round.status == AssessmentRound.Status.FINALISED and round.notice_from is None

    response = post(client, round, timezone.localdate() - datetime.timedelta(days=2))
    round.refresh_from_db()
    assert round.status == AssessmentRound.Status.POSTED and round.notice_contact == "张老师"
    assert "张老师" in client.get(reverse("assessment:results", args=[round.pk])).text


def test_posting_needs_a_contact_person(login, school, principal, committee_member):
    round = finalised_round(school, principal, committee_member, days_ago=0)
    response = post(login(principal), round, timezone.localdate(), notice_contact="")
    assert "Contact person: Fill in this field." in response.text
    round.refresh_from_db()
    assert round.status == AssessmentRound.Status.FINALISED


def test_the_service_refuses_a_notice_before_the_confirmation_too(
    school, principal, committee_member
):
    from django.core.exceptions import ValidationError

    round = finalised_round(school, principal, committee_member, days_ago=1)
    with pytest.raises(ValidationError) as caught:
        services.round_post(
            round=round, by=principal, notice_contact="张老师",
            notice_from=timezone.localdate() - datetime.timedelta(days=3),
            notice_until=timezone.localdate(),
        )  # fmt: skip
    assert "notice_from" in caught.value.message_dict
