"""The progress bar of a long job tells the truth: a combined batch of dossiers moves per
teacher while gathering, then page by page through its single PDF layout."""

import re
import subprocess

import pytest
from django.urls import reverse

from core.jobs import JobContext
from core.models import Job
from documents import print_progress
from tests.documents.test_dossier import add_records
from tests.factories import TeacherFactory
from tests.markers import needs_pdf_tools

pytestmark = needs_pdf_tools

NAMES = ("王芳", "陈静", "李强")


@pytest.fixture
def snapshots(monkeypatch):
    """(progress, total, step) after every progress write of a job."""
    seen = []
    save = JobContext._save

    def spy(self, **fields):
        save(self, **fields)
        seen.append((self.job.progress, self.job.total, self.job.step))

    monkeypatch.setattr(JobContext, "_save", spy)
    monkeypatch.setattr(print_progress, "PROGRESS_WRITE_INTERVAL", 0)  # record every page
    return seen


def test_a_combined_batch_advances_per_teacher_then_page_by_page_through_the_layout(
    login, principal, school, snapshots, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    for i, name in enumerate(NAMES):
        teacher = TeacherFactory(school=school, name=name, staff_no=f"T{i:03d}")
        for year in (2023, 2024):
            add_records(teacher, year, 2)
    principal.language = "en"
    principal.save()
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:dossier_batch"), {"school": school.pk, "format": "combined"})
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.error

    progress = [p for p, _total, _step in snapshots]
    assert progress == sorted(progress)  # never moves back
    steps = [step for _p, _total, step in snapshots]
    total = job.total

    gathering = [(p, step) for p, _t, step in snapshots if step.startswith("Collecting")]
    assert [step for _p, step in gathering] == [
        f"Collecting the records: {i} / 3 teachers" for i in (1, 2, 3)
    ]
    assert gathering[0][0] < gathering[1][0] < gathering[2][0]
    # Gathering is the quick part: most of the bar is kept for the layout.
    assert gathering[-1][0] * 100 / total <= 20

    assert "Preparing the layout of 3 teachers" in steps
    layout = [(p, step) for p, _t, step in snapshots if step.startswith("Laying out page")]
    assert len(layout) >= 3 and layout[0][0] > gathering[-1][0]
    assert layout[-1][0] > layout[0][0]  # the bar moves while the pages are laid out
    writing = next(i for i, step in enumerate(steps) if step.startswith("Writing the PDF"))
    assert writing > steps.index(layout[-1][1])
    assert steps[writing] == f"Writing the PDF: {len(layout)} pages"
    assert snapshots[writing][0] < total  # the writing has its share too
    assert job.progress == total and job.percent == 100

    # Still one layout: the contents page gives each teacher's first page, and every footer
    # counts the whole volume.
    path = tmp_path / "batch.pdf"
    path.write_bytes(job.file.read())
    pages = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")[:-1]
    contents = next(page for page in pages if "Contents" in page)

    def running_header(page: str) -> str:
        return next((line.strip() for line in page.splitlines() if line.strip()), "")

    for name in NAMES:
        line = next(line for line in contents.splitlines() if name in line)
        first_page = int(re.search(r"(\d+)\s*$", line).group(1))
        header = f"{name} · {school.name}"
        assert running_header(pages[first_page - 1]) == header
        assert running_header(pages[first_page - 2]) != header
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1] and len(pages) == len(layout)
