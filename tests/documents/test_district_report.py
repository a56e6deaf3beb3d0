"""The district yearly report's per-school table: every school's numbers per tier, filled."""

import subprocess

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from documents.reports import PDF_TEMPLATE, pdf_context, render_yearly_pdf
from documents.yearly import yearly_report
from tests.documents.test_yearly import TODAY, YEAR
from tests.factories import DesignationFactory, SchoolFactory, TeacherFactory, tier
from tests.html import visible_text
from tests.markers import needs_pdf_tools


@pytest.fixture
def district_schools(school):
    """Two schools of one district: 2 school-tier and 1 district-tier teacher at the first,
    1 district-tier teacher at the second."""
    second = SchoolFactory(district=school.district, code="A002", name="城关第二小学")
    school_tier, district_tier = tier(school.district, "school"), tier(school.district, "district")
    for teacher_tier, where in (
        (school_tier, school),
        (school_tier, school),
        (district_tier, school),
        (district_tier, second),
    ):
        DesignationFactory(
            teacher=TeacherFactory(school=where), tier=teacher_tier, first_year=YEAR, last_year=YEAR
        )
    TeacherFactory(school=second)  # not a backbone teacher
    return school, second


def schools_table(html: str) -> list[list[str]]:
    """The rows of the table under the 'Schools' heading, as cell texts."""
    table = html.split("<h2>Schools</h2>", 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [" ".join(visible_text(cell).split()) for cell in row.split("</td>")[:-1]]
        for row in body.split("</tr>")[:-1]
    ]


@pytest.mark.django_db
def test_the_district_reports_school_table_counts_every_school_and_tier(district_schools):
    first, second = district_schools
    report = yearly_report(year=YEAR, district=first.district, today=TODAY)
    with translation.override("en"):
        html = render_to_string(PDF_TEMPLATE, pdf_context(report))

    rows = {row[0]: row for row in schools_table(html)}
    codes = [t.code for t in report.tiers]
    school_col, district_col = codes.index("school") + 2, codes.index("district") + 2
    assert rows[first.name][1] == "3" and rows[second.name][1] == "2"  # teachers on staff
    assert (rows[first.name][school_col], rows[first.name][district_col]) == ("2", "1")
    assert (rows[second.name][school_col], rows[second.name][district_col]) == ("0", "1")


@pytest.mark.django_db
@needs_pdf_tools
def test_the_printed_district_report_shows_the_schools_numbers(district_schools, tmp_path):
    first, second = district_schools
    report = yearly_report(year=YEAR, district=first.district, today=TODAY)
    path = tmp_path / "district.pdf"
    path.write_bytes(render_yearly_pdf(report, language="zh-hans"))

    text = subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, text=True
    ).stdout
    line = next(line for line in text.splitlines() if second.name in line and "%" not in line)
    assert line.split()[1:4] == ["2", "0", "1"]  # teachers, school-level, district-level
