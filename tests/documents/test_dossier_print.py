"""The dossier as a school office files it: pages that are full, a sign-off block, hours
written as hours, and headings that read well (read back from the PDF with poppler)."""

import datetime
import subprocess

import pytest

from core.pdf import html_to_pdf
from documents.dossier import dossier_data, dossier_html
from records.models import SelfDevelopmentPlan
from tests.documents.test_dossier import add_records
from tests.factories import DesignationFactory, TeacherFactory, TrainingFactory
from tests.markers import needs_pdf_tools

pytestmark = needs_pdf_tools


def pdf_pages(data: bytes, tmp_path) -> list[str]:
    """The text of each page, in order."""
    path = tmp_path / "d.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    count = int(info.stdout.split("Pages:")[1].split()[0])
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def printed(teacher, tmp_path, language="zh-hans") -> list[str]:
    teacher = type(teacher).objects.select_related("school__district", "group").get(pk=teacher.pk)
    dossier = dossier_data(teacher=teacher, today=datetime.date(2026, 12, 1))
    return pdf_pages(html_to_pdf(dossier_html(dossiers=[dossier], language=language)), tmp_path)


@pytest.fixture
def five_year_teacher(school):
    """Five school years with little in each: the case that printed a page per year."""
    teacher = TeacherFactory(school=school, name="王芳", staff_no="W001")
    DesignationFactory(teacher=teacher, first_year=2022, last_year=2026)
    for year in range(2022, 2027):
        add_records(teacher, year)
    TrainingFactory(teacher=teacher, year=2026, hours=2, course="短课", status="verified")
    SelfDevelopmentPlan.objects.create(
        teacher=teacher, year=2025, date=datetime.date(2025, 9, 1), first_year=2025,
        last_year=2027, review="回顾", self_assessment="自评", long_term_goals="长期",
        short_term_goals="短期", measures="措施", status="verified",
    )  # fmt: skip
    return teacher


def test_no_page_of_the_dossier_is_near_empty(five_year_teacher, tmp_path):
    pages = printed(five_year_teacher, tmp_path)
    body = pages[2:-1]  # after the cover and the contents; the last page may be short
    assert body, "the five years fill more than one page"
    for number, text in enumerate(body, start=3):
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) >= 20, f"page {number} holds only {len(lines)} lines"


def test_the_dossier_ends_with_review_signatures_and_the_schools_seal(five_year_teacher, tmp_path):
    text = "\n".join(printed(five_year_teacher, tmp_path))
    assert "教师（签名）" in text
    assert f"{five_year_teacher.school.name}（盖章）" in text
    english = "\n".join(printed(five_year_teacher, tmp_path, language="en"))
    assert "Review opinion" in english and "Reviewer (signature)" in english


def test_hours_print_as_whole_hours_and_the_plan_heading_names_its_term(
    five_year_teacher, tmp_path
):
    text = "\n".join(printed(five_year_teacher, tmp_path))
    assert "2 学时" in text and "6 学时" in text
    assert "2.0" not in text and "6.0" not in text
    english = "\n".join(printed(five_year_teacher, tmp_path, language="en"))
    assert "Plan for the term 2025–2028" in english
    assert "2025–2026 – 2027–2028" not in english


def test_the_observation_appendix_does_not_repeat_the_title_column(five_year_teacher, tmp_path):
    appendix = "\n".join(printed(five_year_teacher, tmp_path)).split("附录")[-1]
    assert "赵老师" in appendix and "语文" in appendix
    assert "听课0" not in appendix and "标题" not in appendix


def test_an_uploaded_photo_prints_on_the_profile_and_none_without_one(
    five_year_teacher, tmp_path, settings
):
    from django.core.files.base import ContentFile

    from tests.teachers.test_photo import png

    without = tmp_path / "without"
    without.mkdir()
    path = without / "d.pdf"
    teacher = (
        type(five_year_teacher)
        .objects.select_related("school__district")
        .get(pk=five_year_teacher.pk)
    )
    dossier = dossier_data(teacher=teacher, today=datetime.date(2026, 12, 1))
    path.write_bytes(html_to_pdf(dossier_html(dossiers=[dossier], language="zh-hans")))
    assert images(path) == []

    settings.MEDIA_ROOT = tmp_path
    teacher.photo.save("p.png", ContentFile(png()))
    dossier = dossier_data(teacher=teacher, today=datetime.date(2026, 12, 1))
    path.write_bytes(html_to_pdf(dossier_html(dossiers=[dossier], language="zh-hans")))
    assert images(path) == [("60", "80")]


def images(path) -> list[tuple[str, str]]:
    """(width, height) of each picture in the PDF."""
    listed = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in listed.splitlines()[2:]]
    return [(row[3], row[4]) for row in rows if row[2] == "image"]
