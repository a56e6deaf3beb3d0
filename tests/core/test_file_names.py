"""Every generated file is named in one style: owner, school year, what it is, (time)."""

from urllib.parse import unquote

from django.urls import reverse

from core.files import current_year_part, document_filename
from core.models import Job
from tests.factories import DesignationFactory, TeacherFactory


def downloaded_name(client, job) -> str:
    response = client.get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    return unquote(header.split("filename*=utf-8''", 1)[1])


def test_the_roster_exports_are_named_with_school_year_and_title(
    login, principal, school, django_capture_on_commit_callbacks
):
    teacher = TeacherFactory(school=school, name="王芳")
    DesignationFactory(teacher=teacher)
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("teachers:export"), {"query": ""})
        client.post(reverse("backbone:roster_export"), {"query": ""})
    names = [downloaded_name(client, job) for job in Job.objects.order_by("pk")]
    year = current_year_part()  # 2026-2027学年
    assert names[0].startswith(f"城关第一小学_{year}_教师名册_") and names[0].endswith(".xlsx")
    assert names[1].startswith(f"城关第一小学_{year}_骨干名册_") and names[1].endswith(".xlsx")


def test_a_name_part_holding_the_separator_cannot_shift_the_others():
    name = document_filename("城关_第一小学", "2025-2026学年", "名册", ext="xlsx")
    assert name == "城关 第一小学_2025-2026学年_名册.xlsx"


def test_my_files_shows_each_exports_filters_in_words_and_who_asked(
    login, principal, training_office, school, django_capture_on_commit_callbacks
):
    TeacherFactory(school=school, name="王芳", subject="语文")
    principal.display_name = "王校长"
    principal.save()
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("teachers:export"), {"query": "subject=语文&title=2"},
            HTTP_ACCEPT_LANGUAGE="en",
        )  # fmt: skip
        client.post(reverse("backbone:roster_export"), {"query": ""}, HTTP_ACCEPT_LANGUAGE="en")
    page = login(training_office).get(reverse("jobs"), HTTP_ACCEPT_LANGUAGE="en").text
    assert "Subject: 语文 · Professional title: Second-grade teacher (二级教师)" in page
    assert "subject=" not in page  # not the raw query
    assert "Everything in your scope" in page  # the roster export without filters
    assert page.count("王校长") >= 2
