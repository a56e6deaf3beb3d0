"""The mentoring contract (拜师合同): one A4 page with both names, in a CJK font, printed by a
job and downloaded from the job's page; a clear message instead of empty boxes when no CJK
font is installed."""

import datetime
import re
import subprocess
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from core import pdf
from core.models import Job, Role
from mentoring.models import Pairing
from tests.factories import TeacherFactory, user_with_role
from tests.markers import needs_pdf_tools

TODAY = timezone.localdate()


@pytest.fixture
def pairing(school):
    mentor = TeacherFactory(school=school, name="王建国")
    apprentice = TeacherFactory(school=school, name="李小梅")
    return Pairing.objects.create(
        school=school,
        mentor=mentor,
        apprentice=apprentice,
        origin=Pairing.Origin.SCHOOL,
        status=Pairing.Status.ACTIVE,
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2026, 8, 31),
        signed_on=datetime.date(2025, 9, 3),
        goals="一年内能独立上好一节课。",
        mentor_duties="每周听徒弟两节课并及时评课。\n指导备课。",
        apprentice_duties="每周听师傅一节课。\n学期末上汇报课。",
    )


def poppler(tool: str, path, *args) -> str:
    return subprocess.run(
        [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip


def print_contract(client, pairing) -> Job:
    response = client.post(reverse("mentoring:contract", args=[pairing.pk]))
    assert response.status_code == 302
    job = Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    assert response.url == reverse("job", args=[job.pk])
    return job


@pytest.fixture
def download(django_capture_on_commit_callbacks, tmp_path):
    def _download(client, pairing):
        with django_capture_on_commit_callbacks(execute=True):
            job = print_contract(client, pairing)
        job.refresh_from_db()
        assert job.status == Job.Status.DONE, job.error
        response = client.get(reverse("job_download", args=[job.pk]))
        assert response.status_code == 200
        path = tmp_path / "contract.pdf"
        path.write_bytes(b"".join(response.streaming_content))
        return response, path

    return _download


@needs_pdf_tools
def test_the_contract_is_one_page_with_both_chinese_names_in_a_cjk_font(
    pairing, principal, login, download
):
    response, path = download(login(principal), pairing)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Pages:           1" in poppler("pdfinfo", path)
    text = poppler("pdftotext", path)
    assert "王建国" in text and "李小梅" in text
    assert "城关第一小学" in text  # the school
    assert "2025-09-01" in text and "2026-08-31" in text and "2025-09-03" in text
    assert "每周听徒弟两节课并及时评课" in text
    cjk = [line for line in poppler("pdffonts", path).splitlines()
           if re.search(r"Noto.?(Sans|Serif).?CJK", line)]  # fmt: skip
    assert cjk and all(" yes " in line for line in cjk)  # embedded


@needs_pdf_tools
def test_a_long_contract_is_set_smaller_to_stay_on_one_page(pairing, principal, login, download):
    pairing.goals = "认真备课，虚心请教，积极上课，及时反思。" * 40
    pairing.mentor_duties = "\n".join(f"第{n}条：每周听课并评课，指导教学设计。" for n in range(12))
    pairing.save()

    _, path = download(login(principal), pairing)

    assert "Pages:           1" in poppler("pdfinfo", path)


@needs_pdf_tools
def test_a_party_downloads_it_in_their_language_and_another_school_may_not(
    pairing, outsider, login, download, school
):
    user = user_with_role(Role.TEACHER, school=school, username="apprentice", language="en")
    pairing.apprentice.user = user
    pairing.apprentice.save()

    _, path = download(login(user), pairing)

    assert "Mentoring contract" in poppler("pdftotext", path)
    url = reverse("mentoring:contract", args=[pairing.pk])
    assert login(outsider).post(url).status_code == 404
    job = Job.objects.get()
    assert login(outsider).get(reverse("job_download", args=[job.pk])).status_code == 404


def test_without_a_cjk_font_the_job_page_names_the_package_to_install(
    pairing, principal, login, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pdf, "cjk_font_installed", lambda: False)
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        job = print_contract(client, pairing)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "fonts-noto-cjk" in page and "Traceback" not in page


def test_the_request_answers_at_once_and_leaves_the_printing_to_a_job(
    pairing, principal, login, django_capture_on_commit_callbacks
):
    # Stored before goals had a maximum length: 100 KB took 64 s to lay out in the request.
    Pairing.objects.filter(pk=pairing.pk).update(goals="认真备课，虚心请教。" * 10_000)
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = time.perf_counter()
        job = print_contract(client, pairing)
        elapsed = time.perf_counter() - started
    assert elapsed < 2
    assert job.kind == "mentoring_contract" and job.status == Job.Status.QUEUED
    assert len(queued) == 1  # handed to the queue once the request commits
    page = client.get(reverse("mentoring:detail", args=[pairing.pk])).content.decode()
    assert f'action="{reverse("mentoring:contract", args=[pairing.pk])}"' in page
