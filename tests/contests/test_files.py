"""The files of a competition: award certificates (one PDF page per prize, by a job) and the
results workbook, which holds scores and ranks only once the results are published."""

import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contests.services import contests as services
from core.models import Job
from tests.markers import needs_pdf_tools

from .conftest import enter, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def revealed(contest, entrants, training_office, committee_member, judge_teacher):
    entries = [enter(contest, t, training_office) for t in entrants]
    services.entries_close(contest=contest, by=training_office)
    score_all(contest, committee_member, value=lambda e: 70 + entries.index(e) * 10)
    score_all(contest, judge_teacher, value=lambda e: 70 + entries.index(e) * 10)
    services.scores_reveal(contest=contest, by=training_office)
    services.prizes_set(
        contest=contest,
        prizes={entries[2].pk: "first", entries[1].pk: "excellence"},
        by=training_office,
    )
    return contest, entries


def _run(client, url, kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = Job.objects.filter(kind=kind).latest("pk")
    assert job.status == Job.Status.DONE, job.error
    return job


def _sheet(job, tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(job.file.read())
    return [list(row) for row in load_workbook(path).active.iter_rows(values_only=True)]


def test_the_results_workbook_has_no_score_or_rank_before_publication(
    login, revealed, training_office, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    contest, entries = revealed
    client = login(training_office)
    url = reverse("contests:results_export", args=[contest.pk])
    rows = _sheet(_run(client, url, "contest_results_export", django_capture_on_commit_callbacks),
                  tmp_path)  # fmt: skip
    assert len(rows[0]) == 5 and "排名" not in rows[0]
    assert [r[2] for r in rows[1:]] == [e.teacher.name for e in entries]  # neutral order
    services.results_publish(contest=contest, by=training_office)
    job = _run(client, url, "contest_results_export", django_capture_on_commit_callbacks)
    assert job.school == contest.school
    rows = _sheet(job, tmp_path)
    # the items, then total, rank and prize
    assert rows[0][5:7] == ["教学设计", "课堂实施"] and len(rows[0]) == 10
    assert [r[2] for r in rows[1:]] == [entries[2].teacher.name, entries[1].teacher.name,
                                        entries[0].teacher.name]  # fmt: skip
    assert rows[1][-3:-1] == [90, 1]


@needs_pdf_tools
def test_the_certificates_print_one_page_per_prize(
    login, revealed, training_office, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    contest, entries = revealed
    client = login(training_office)
    url = reverse("contests:certificates_print", args=[contest.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = Job.objects.get(kind="contest_certificates")
    assert job.status == Job.Status.FAILED  # not published yet: nothing to certify
    services.results_publish(contest=contest, by=training_office)
    job = _run(client, url, "contest_certificates", django_capture_on_commit_callbacks)
    path = tmp_path / "c.pdf"
    path.write_bytes(job.file.read())
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    assert int(info.split("Pages:")[1].split()[0]) == 2
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
    assert entries[2].teacher.name in text and entries[1].teacher.name in text
    assert entries[0].teacher.name not in text
    assert text.index(entries[2].teacher.name) < text.index(entries[1].teacher.name)
