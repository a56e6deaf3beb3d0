"""The training office's day (issue 7's "done when"): verify a record from the queue, score an
assessment round and see the grade, then print one teacher's dossier, a batch of dossiers and
the school's yearly review report, watching each job's progress bar until the file is there —
in Chinese and in English. On PostgreSQL the jobs run in a thread of the live server, as
without Redis, so the page really polls; on the SQLite test database they run inline (see
``jobs_in_thread``)."""

import io
import subprocess
import zipfile

import pytest
from django.utils import timezone, translation

from assessment.services import rounds as round_services
from core.models import Role, school_year_start
from records.models import OpenClass, Status
from tests.factories import (
    DesignationFactory,
    OpenClassFactory,
    SchoolFactory,
    TeacherFactory,
    TrainingFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = school_year_start(timezone.localdate())


def pdf_text(data: bytes, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def school_day():
    school = SchoolFactory(code="GLXX01", name="鼓楼区实验小学")
    wang = TeacherFactory(school=school, name="王芳", staff_no="W001")
    liu = TeacherFactory(school=school, name="刘洋", staff_no="W002", subject="数学")
    for teacher in (wang, liu):
        DesignationFactory(teacher=teacher, first_year=YEAR, last_year=YEAR + 2)
        TrainingFactory(teacher=teacher, year=YEAR, status=Status.VERIFIED)
    submitted = OpenClassFactory(
        teacher=wang, year=YEAR, topic="《桂林山水》", status=Status.SUBMITTED
    )
    return {"school": school, "wang": wang, "liu": liu, "submitted": submitted}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_training_office_verifies_scores_and_prints(
    open_session, jobs_in_thread, school_day, tmp_path, language
):
    school, wang = school_day["school"], school_day["wang"]
    office_user = user_with_role(
        Role.TRAINING_OFFICE, school=school, username="office", language=language
    )
    principal = user_with_role(Role.PRINCIPAL, school=school, username="wang")
    round = round_services.round_open(
        school=school, kind="annual", year=YEAR, title="年度考核",
        committee=[office_user], by=principal,
    )  # fmt: skip

    office = open_session(language, name=f"office-{language}")
    office.login("office")
    page = office.page

    # 1. The verification queue: verify the open class in its row (htmx swaps the row).
    record = school_day["submitted"]
    office.goto("/records/verification/")
    row = page.locator(f"#queue-row-{record.pk}")
    assert "《桂林山水》" in row.inner_text()
    office.shot("queue")
    row.locator(f"form[action$='/records/{record.pk}/verify/'] button").click()
    page.locator(f"#queue-row-{record.pk}.table-success").wait_for()
    assert OpenClass.objects.get(pk=record.pk).status == Status.VERIFIED

    # 2. The assessment round: fill the sheet, submit it, and see the grade once finalised.
    office.goto(f"/assessment/rounds/{round.pk}/")
    page.locator(f"a[href$='/assessment/rounds/{round.pk}/score/']").click()
    page.wait_for_url(f"**/assessment/rounds/{round.pk}/score/")
    cells = page.locator("#score-sheet input[type=number]")
    assert cells.count() == 2 * round.template.components.count()
    for i in range(cells.count()):
        cells.nth(i).fill(cells.nth(i).get_attribute("max"))  # full marks
    office.shot("score-sheet")
    page.on("dialog", lambda d: d.accept())
    page.locator("button[name=submit]").click()
    page.wait_for_url(f"**/assessment/rounds/{round.pk}/")
    round_services.round_finalise(round=round, by=principal)
    page.reload()
    for entry in round.entries.select_related("teacher"):
        # Full marks, but no duty report yet: a missed core duty caps the grade (explained).
        with translation.override(language):
            grade = entry.get_grade_display()
        cells = page.locator(f"#entry-{entry.pk}").inner_text()
        assert entry.teacher.name in cells and "100.00" in cells and grade in cells
    office.shot("graded")

    # 3. One teacher's dossier, from their page.
    office.goto(f"/teachers/{wang.pk}/")
    page.locator(f"form[action$='/teachers/{wang.pk}/dossier/'] button").click()
    dossier = office.job_file("dossier")
    assert dossier.startswith(b"%PDF")
    text = pdf_text(dossier, tmp_path, "dossier.pdf")
    assert "王芳" in text and "鼓楼区实验小学" in text

    # 4. A batch of dossiers: a ZIP of PDFs in Chinese, one combined PDF in English.
    office.goto("/teachers/dossiers/")
    page.select_option("select[name=school]", str(school.pk))
    fmt = "zip" if language == "zh-hans" else "combined"
    page.select_option("select[name=format]", fmt)
    page.locator("form [type=submit]").last.click()
    batch = office.job_file("batch")
    if fmt == "zip":
        with zipfile.ZipFile(io.BytesIO(batch)) as archive:
            pdfs = [archive.read(n) for n in archive.namelist()]
        assert len(pdfs) == 2 and all(p.startswith(b"%PDF") for p in pdfs)
        texts = [pdf_text(p, tmp_path, f"batch{i}.pdf") for i, p in enumerate(pdfs)]
        assert sorted("王芳" in t for t in texts) == [False, True]
        assert any("刘洋" in t for t in texts)
    else:
        assert batch.startswith(b"%PDF")
        text = pdf_text(batch, tmp_path, "batch.pdf")
        assert "王芳" in text and "刘洋" in text

    # 5. The school's yearly review report, as a PDF with charts.
    office.goto("/assessment/yearly/")
    page.select_option("select[name=owner]", f"school={school.pk}")
    page.check("input[name=format][value=pdf]")
    office.shot("yearly-form")
    page.locator("form [type=submit]").last.click()
    report = office.job_file("yearly")
    assert report.startswith(b"%PDF")
    assert "鼓楼区实验小学" in pdf_text(report, tmp_path, "yearly.pdf")
