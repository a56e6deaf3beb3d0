"""The yearly report as the office files it: targets in force are compared, 推荐晋级 lists
only backbone teachers moving up, duties are a grid, and a summary and a seal line print."""

import subprocess

from assessment.services.duties import duty_templates_ensure_defaults
from backbone.models import Target
from documents.reports import render_yearly_pdf
from documents.yearly import yearly_report
from tests.documents.test_yearly import TODAY, YEAR, dataset  # noqa: F401 (fixture)
from tests.factories import (
    AnnualGradeFactory,
    DesignationFactory,
    SchoolYearFactory,
    TeacherFactory,
    tier,
)
from tests.markers import needs_pdf_tools


def pdf_text(report, tmp_path, language) -> str:
    path = tmp_path / "y.pdf"
    path.write_bytes(render_yearly_pdf(report, language=language))
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_target_due_in_a_later_year_is_the_one_compared(dataset, school):  # noqa: F811
    school_tier = tier(school.district, "school")
    Target.objects.create(school=school, tier=school_tier, by_year=YEAR + 3, count=9)
    Target.objects.create(school=school, tier=school_tier, by_year=YEAR + 2, count=5)
    Target.objects.create(school=school, tier=school_tier, by_year=YEAR - 1, count=1)
    report = yearly_report(year=YEAR, school=school, today=TODAY)
    row = next(r for r in report.target_rows() if r["tier"] == school_tier)
    assert (row["target"], row["actual"], row["by"]) == (5, 2, "2027–2028")


def test_an_excellent_teacher_without_a_tier_is_not_recommended_upward(dataset, school):  # noqa: F811
    plain = TeacherFactory(school=school, name="普通教师")
    AnnualGradeFactory(teacher=plain, year=YEAR, grade=4)
    report = yearly_report(year=YEAR, school=school, today=TODAY)
    names = {p.name for p in report.total.recommended}
    assert "普通教师" not in names
    assert "教师1" in names  # excellent and holding the school tier


def test_pending_revocation_lists_only_unqualified_teachers_holding_a_tier(dataset, school):  # noqa: F811
    holder = TeacherFactory(school=school, name="骨干不合格")
    DesignationFactory(teacher=holder, tier=tier(school.district, "school"), first_year=YEAR)
    AnnualGradeFactory(teacher=holder, year=YEAR, grade=1)
    report = yearly_report(year=YEAR, school=school, today=TODAY)
    flagged = {p.name: p.tier for p in report.total.flagged}
    assert "骨干不合格" in flagged and flagged["骨干不合格"]
    assert "教师5" not in flagged  # unqualified too, but there is no tier to revoke


def test_duties_are_one_row_per_duty_with_a_column_per_tier(dataset, school):  # noqa: F811
    SchoolYearFactory(district=school.district, start_year=YEAR)
    duty_templates_ensure_defaults(district=school.district, year=YEAR)
    report = yearly_report(year=YEAR, school=school, today=TODAY)
    matrix = report.duty_matrix()
    assert len(matrix["tiers"]) == len(set(matrix["tiers"])) >= 1
    duties = [r["duty"] for r in matrix["rows"]]
    assert len(duties) == len(set(duties))
    assert len(matrix["tiers"]) == 2  # school and district tier teachers in 2025–2026
    assert len(duties) < len(report.duty_rows())  # the tier is not repeated down the page
    assert all(len(r["cells"]) == len(matrix["tiers"]) for r in matrix["rows"])


@needs_pdf_tools
def test_the_pdf_has_a_summary_from_the_numbers_and_a_seal_line(dataset, school, tmp_path):  # noqa: F811
    school_tier = tier(school.district, "school")
    Target.objects.create(school=school, tier=school_tier, by_year=YEAR + 2, count=5)
    report = yearly_report(year=YEAR, school=school, today=TODAY)
    text = " ".join(pdf_text(report, tmp_path, "en").split())
    assert f"{report.total.teachers} teachers on staff and 3 backbone teachers" in text
    assert "1 of 5 teachers met the 72-hour training requirement" in text
    assert "Targets not yet reached" in text and "2/5" in text
    assert f"{school.name}(seal)" in text.replace(" (seal)", "(seal)")
    chinese = pdf_text(report, tmp_path, "zh-hans")
    assert f"{school.name}（盖章）" in chinese and "2027–2028" in chinese


def test_generated_files_are_named_in_chinese_with_the_year_in_one_style(
    dataset,  # noqa: F811
    school,
):
    from django.utils import translation

    from documents.dossier import dossier_filename
    from documents.reports import _filename

    report = yearly_report(year=YEAR, school=school, today=TODAY)
    teacher = dataset["teachers"][0]
    with translation.override("zh-hans"):
        assert _filename(report, "pdf") == f"{school.name}_2025-2026学年_年度总结报告.pdf"
        name = dossier_filename(teacher)
    assert name.startswith(f"{school.name}_{teacher.name}_{teacher.staff_no}_")
    assert name.endswith("学年_教师业务档案.pdf")


def test_my_files_shows_the_request_in_words_and_who_asked(
    dataset,  # noqa: F811
    school,
    principal,
    training_office,
    login,
    django_capture_on_commit_callbacks,
):
    from django.urls import reverse

    from tests.documents.test_yearly import _request

    principal.first_name, principal.last_name = "校长", "王"
    principal.save()
    job = _request(
        login,
        principal,
        django_capture_on_commit_callbacks,
        owner=f"school={school.pk}",
        year=YEAR,
        format="xlsx",
    )
    assert job.params["label"] == f"{school.name} · 2025–2026学年 · XLSX"
    body = login(training_office).get(reverse("jobs")).content.decode()
    assert f"{school.name} · 2025–2026学年 · XLSX" in body
    assert principal.get_full_name() in body
    assert f"school={school.pk}" not in body
