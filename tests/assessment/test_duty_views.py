import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment.models import DutyKind, DutyTemplate
from assessment.services.duties import duty_templates_ensure_defaults
from core.models import Job
from tests.factories import (
    DesignationFactory,
    OpenClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    TeacherFactory,
    TeachingGroupFactory,
    TrainingFactory,
    tier,
)
from tests.hostile_files import FORMULA, assert_inert

YEAR = 2025
GRID = reverse("assessment:duties_grid")


@pytest.fixture
def setup(school, other_school):
    for s in (school, other_school):
        SchoolYearFactory(district=s.district, start_year=YEAR)
        duty_templates_ensure_defaults(district=s.district, year=YEAR)
    behind = TeacherFactory(school=school, name="落后老师")
    DesignationFactory(teacher=behind)
    ahead = TeacherFactory(school=school, name="领先老师")
    DesignationFactory(teacher=ahead)
    OpenClassFactory(teacher=ahead, status="verified")
    TeacherFactory(school=school, name="普通老师")  # no designation: not on the grid
    stranger = TeacherFactory(school=other_school, name="外校老师")
    DesignationFactory(teacher=stranger)
    return {"behind": behind, "ahead": ahead, "stranger": stranger}


# -- grid -----------------------------------------------------------------------------------
def test_grid_lists_own_backbone_teachers_riskiest_first(login, training_office, setup):
    response = login(training_office).get(GRID, {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert "外校老师" not in html
    assert "普通老师" not in html
    assert html.index("落后老师") < html.index("领先老师")
    growth = reverse("records:teacher_growth", args=[setup["ahead"].pk])
    assert growth in html
    rows = response.context["grid"].rows
    assert [r.teacher.name for r in rows] == ["落后老师", "领先老师"]
    open_class = [k for k, _label in response.context["grid"].kinds].index(DutyKind.OPEN_CLASS)
    assert rows[1].cells[open_class].done == 1


@pytest.mark.parametrize("who", ["committee_member", "district_office", "principal"])
def test_readers_see_the_grid(request, login, setup, who):
    user = request.getfixturevalue(who)
    response = login(user).get(GRID, {"year": YEAR})
    assert response.status_code == 200
    assert len(response.context["grid"].rows) == 2


def test_teachers_get_404_and_outsiders_see_nothing_of_the_school(
    login, teacher_user, outsider, setup
):
    assert login(teacher_user).get(GRID).status_code == 404
    response = login(outsider).get(GRID, {"year": YEAR})
    assert [r.teacher.name for r in response.context["grid"].rows] == ["外校老师"]


def test_grid_filters_by_tier_and_group(school, login, training_office, setup):
    group = TeachingGroupFactory(school=school)
    setup["ahead"].group = group
    setup["ahead"].save()
    client = login(training_office)
    rows = client.get(GRID, {"year": YEAR, "group": group.pk}).context["grid"].rows
    assert [r.teacher.name for r in rows] == ["领先老师"]
    district_tier = tier(school.district, "district")
    rows = client.get(GRID, {"year": YEAR, "tier": district_tier.pk}).context["grid"].rows
    assert rows == []


def test_grid_htmx_returns_the_results_only(login, training_office, setup):
    response = login(training_office).get(GRID, {"year": YEAR}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="results"' in html
    assert "<html" not in html


def test_grid_query_count_does_not_grow_with_teachers(
    school, login, training_office, count_queries, setup
):
    def add(n):
        for _ in range(n):
            t = TeacherFactory(school=school)
            DesignationFactory(teacher=t)
            OpenClassFactory(teacher=t, status="verified")

    client = login(training_office)
    add(3)
    five = count_queries(client, GRID, {"year": YEAR})
    add(25)
    assert count_queries(client, GRID, {"year": YEAR}) == five


def test_export_runs_as_a_job_in_the_users_scope(
    login, training_office, setup, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(training_office).post(
            reverse("assessment:duties_export"), {"query": f"year={YEAR}"}
        )
    job = Job.objects.get(kind="duties_export")
    job.refresh_from_db()
    assert response.url == reverse("job", args=[job.pk])
    assert job.status == Job.Status.DONE
    ws = load_workbook(job.file.path).active
    names = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert names == ["落后老师", "领先老师"]


def test_the_export_writes_a_name_that_looks_like_a_formula_as_text(
    login, training_office, setup, django_capture_on_commit_callbacks
):
    setup["behind"].name = FORMULA
    setup["behind"].save()
    with django_capture_on_commit_callbacks(execute=True):
        login(training_office).post(reverse("assessment:duties_export"), {"query": f"year={YEAR}"})
    assert_inert(load_workbook(Job.objects.get(kind="duties_export").file.path))


def test_export_is_refused_to_teachers(login, teacher_user):
    assert login(teacher_user).post(reverse("assessment:duties_export")).status_code == 404


# -- my duties ------------------------------------------------------------------------------
def test_my_duties_links_verified_records(school, login, teacher_user):
    SchoolYearFactory(district=school.district, start_year=YEAR)
    duty_templates_ensure_defaults(district=school.district, year=YEAR)
    teacher = teacher_user.teacher
    DesignationFactory(teacher=teacher)
    verified = OpenClassFactory(teacher=teacher, status="verified")
    pending = OpenClassFactory(teacher=teacher, status="submitted")
    response = login(teacher_user).get(reverse("assessment:my_duties"), {"year": YEAR})
    html = response.content.decode()
    assert reverse("records:detail", args=[verified.pk]) in html
    assert reverse("records:detail", args=[pending.pk]) in html
    assert response.context["duties"][0]["records"] == [verified.record_ptr]


def test_my_duties_is_404_without_a_teacher_record(login, training_office):
    assert login(training_office).get(reverse("assessment:my_duties")).status_code == 404


# -- editing duties -------------------------------------------------------------------------
def _lecture(school):
    return DutyTemplate.objects.get(
        school=None, tier=tier(school.district, "school"), kind=DutyKind.LECTURE
    )


def _edit_url(template, school=None):
    url = reverse("assessment:duty_template_edit", args=[template.pk])
    return f"{url}?school={school.pk}" if school else url


def _post_data(from_year, required=2):
    return {"required": required, "period": "year", "from_year": from_year, "note": ""}


def _next_year():
    from core.models import school_year_start

    return school_year_start(datetime.date.today()) + 1


def test_principal_changes_a_duty_for_the_school_only(school, login, principal, setup):
    lecture = _lecture(school)
    client = login(principal)
    assert client.get(reverse("assessment:duty_templates")).status_code == 200
    response = client.post(_edit_url(lecture, school), _post_data(_next_year()))
    assert response.status_code == 302
    own = DutyTemplate.objects.get(school=school, kind=DutyKind.LECTURE)
    assert (own.required, own.valid_from) == (2, _next_year())
    lecture.refresh_from_db()
    assert (lecture.required, lecture.valid_until) == (1, None)


def test_district_office_changes_the_default_from_a_year_on(school, login, district_office, setup):
    lecture = _lecture(school)
    response = login(district_office).post(_edit_url(lecture), _post_data(_next_year(), 3))
    assert response.status_code == 302
    lecture.refresh_from_db()
    assert lecture.valid_until == _next_year() - 1
    new = DutyTemplate.objects.get(school=None, kind=lecture.kind, tier=lecture.tier, required=3)
    assert new.valid_from == _next_year()


def test_readers_may_not_change_duties(school, login, committee_member, district_office, setup):
    lecture = _lecture(school)
    assert login(committee_member).get(_edit_url(lecture, school)).status_code == 403
    assert login(district_office).get(_edit_url(lecture, school)).status_code == 403


def test_outsiders_and_teachers_get_404(school, login, outsider, teacher_user, setup):
    lecture = _lecture(school)
    assert login(outsider).get(_edit_url(lecture, school)).status_code == 404
    assert login(outsider).post(_edit_url(lecture), _post_data(_next_year())).status_code == 404
    assert login(teacher_user).get(reverse("assessment:duty_templates")).status_code == 404


def test_duty_pages_render_for_editors_and_readers(
    school, login, principal, district_office, setup
):
    lecture = _lecture(school)
    client = login(principal)
    assert client.get(_edit_url(lecture, school)).status_code == 200
    page = client.get(reverse("assessment:duty_templates"))
    assert _edit_url(lecture, school) in page.content.decode()
    client = login(district_office)
    assert client.get(_edit_url(lecture)).status_code == 200
    page = client.get(reverse("assessment:duty_templates"), {"school": school.pk})
    assert page.status_code == 200
    assert not page.context["can_edit"]


# -- a district's grid: a page at a time, ordered and totalled in the database ---------------
def _engine_grid(teachers, *, year, semester=None):
    """What the engine says of every teacher: the grid's order, totals and cells."""
    from assessment.duties import duty_statuses, worst_rank

    statuses = duty_statuses(teachers=teachers, year=year, semester=semester)
    ordered = sorted(teachers, key=lambda t: (worst_rank(statuses[t.pk]), t.name))
    behind = sum(1 for t in teachers if worst_rank(statuses[t.pk])[0] <= 1)
    return ordered, statuses, behind


def _cells(statuses):
    return {s.kind: (s.done, s.pending, s.status) for s in statuses}


@pytest.mark.parametrize("semester", [None, 1, 2])
def test_district_grid_pages_show_the_engines_numbers_for_every_teacher(
    db, login, monkeypatch, semester
):
    """The district grid computes only its page with the engine and orders every teacher by
    counting in the database: page after page, it must say what the engine says of all."""
    from assessment.duties import backbone_teachers, duty_counts
    from bench.dataset import seed_bench
    from core.models import User
    from teachers.models import Teacher

    monkeypatch.setattr("assessment.views.duties.GRID_PAGE_SIZE", 4)
    bench = seed_bench(schools=3, teachers=36, years=2, code_prefix="DG", login_prefix="dg")
    year = bench.current
    teachers = list(
        backbone_teachers(year=year, teachers=Teacher.objects.filter(school__in=bench.schools))
    )
    assert len(teachers) > 8  # more than two pages
    ordered, statuses, behind = _engine_grid(teachers, year=year, semester=semester)

    client = login(User.objects.get(username=bench.username("district")))
    query = {"year": year, "semester": semester or ""}
    first = client.get(GRID, query).context["grid"]
    assert (first.total, first.behind) == (len(teachers), behind)
    kinds = [kind for kind, _label in first.kinds]
    assert set(kinds) == {s.kind for t in teachers for s in statuses[t.pk]}
    rows = []
    for number in range(1, first.page.paginator.num_pages + 1):
        rows += client.get(GRID, {**query, "page": number}).context["grid"].rows
    assert [r.teacher.pk for r in rows] == [t.pk for t in ordered]
    for row in rows:
        cells = {
            k: (c.done, c.pending, c.status) for k, c in zip(kinds, row.cells, strict=True) if c
        }
        assert cells == _cells(statuses[row.teacher.pk])

    # The database's counts behind the order are the engine's, duty by duty.
    counted = duty_counts(teachers=teachers, year=year, semester=semester)
    for t in teachers:
        assert [(c.kind, c.done, c.status) for c in counted[t.pk]] == [
            (s.kind, s.done, s.status) for s in statuses[t.pk]
        ]


def test_duty_counts_match_the_engine_on_every_rule(school, setup):
    """Each rule the engine applies to a record, counted in the database instead: levels,
    published papers, courseware, projects led, semesters, the term, the hours' minimum."""
    from assessment.duties import duty_counts, duty_statuses
    from records.models import Lecture, ResearchProject, Training
    from tests.assessment.test_duties import _paper

    def project(teacher, role, level, year):
        ResearchProject.objects.create(
            teacher=teacher,
            year=year,
            semester=None,
            date=datetime.date(year, 10, 1),
            status="verified",
            project_title="课题",
            role=role,
            level=level,
        )

    teachers = []
    for code in ("school", "district", "municipal"):
        t = TeacherFactory(school=school)
        DesignationFactory(teacher=t, tier=tier(school.district, code), first_year=2024)
        teachers.append(t)
        for level in (1, 2, 3):
            OpenClassFactory(teacher=t, status="verified", level=level)
        OpenClassFactory(teacher=t, status="submitted", level=3)
        project(t, "leader", 2, 2024)
        project(t, "member", 3, YEAR)
        for hours, school_based in ((20, True), (30, False)):
            Training.objects.create(
                teacher=t,
                year=YEAR,
                semester=1,
                date=datetime.date(YEAR, 10, 2),
                status="verified",
                course="培训",
                hours=hours,
                school_based=school_based,
            )
    for kind, progress, level in (("paper", "awarded", 1), ("paper", "published", 3)):
        _paper(teachers[1], kind=kind, progress=progress, level=level)
    _paper(teachers[2], kind="courseware", progress="written", level=None)
    Lecture.objects.create(
        teacher=teachers[0],
        year=YEAR,
        semester=2,
        date=datetime.date(2026, 3, 1),
        status="verified",
        topic="讲座",
    )
    for today in (datetime.date(2025, 11, 15), datetime.date(2026, 9, 1)):
        for semester in (None, 1, 2):
            engine = duty_statuses(teachers=teachers, year=YEAR, semester=semester, today=today)
            counted = duty_counts(teachers=teachers, year=YEAR, semester=semester, today=today)
            for t in teachers:
                assert [(c.kind, c.done, c.school_based, c.status) for c in counted[t.pk]] == [
                    (s.kind, s.done, s.school_based, s.status) for s in engine[t.pk]
                ]


def test_district_grid_query_count_does_not_grow_with_teachers(
    school, login, district_office, count_queries, monkeypatch, setup
):
    """Two pages or five, a few teachers or many: the same number of queries, whether the
    order is counted again or kept."""
    monkeypatch.setattr("assessment.views.duties.GRID_PAGE_SIZE", 5)
    second = SchoolFactory(district=school.district)

    def add(n):
        for i in range(n):
            t = TeacherFactory(school=(school, second)[i % 2])
            DesignationFactory(teacher=t)
            OpenClassFactory(teacher=t, status="verified")
            TrainingFactory(teacher=t, status="verified")

    client = login(district_office)
    add(4)
    counted = count_queries(client, GRID, {"year": YEAR, "page": 2, "refresh": 1})
    kept = count_queries(client, GRID, {"year": YEAR, "page": 2})
    add(20)
    assert count_queries(client, GRID, {"year": YEAR, "page": 4, "refresh": 1}) == counted
    assert count_queries(client, GRID, {"year": YEAR, "page": 2, "refresh": 1}) == counted
    assert count_queries(client, GRID, {"year": YEAR, "page": 4}) == kept
    assert kept < counted < 20


def test_district_grid_keeps_its_order_until_counted_again(
    school, login, district_office, training_office, setup
):
    """Counting a district's duties for the order takes a while: the grid keeps its order and
    totals a few minutes, says when it counted and offers to count again. The rows of the page
    are counted at every visit."""
    district_office.language = "en"
    district_office.save(update_fields=["language"])
    client = login(district_office)
    first = client.get(GRID, {"year": YEAR})
    assert "Counted at" in first.text and "refresh=1" in first.text
    assert first.context["grid"].total == 2
    kinds = [kind for kind, _label in first.context["grid"].kinds]
    newcomer = TeacherFactory(school=school, name="新任骨干")
    DesignationFactory(teacher=newcomer)
    assert client.get(GRID, {"year": YEAR}).context["grid"].total == 2
    OpenClassFactory(teacher=setup["behind"], status="verified")
    rows = client.get(GRID, {"year": YEAR}).context["grid"].rows
    behind = next(r for r in rows if r.teacher == setup["behind"])
    assert behind.cells[kinds.index(DutyKind.OPEN_CLASS)].done == 1  # the row: counted anew
    recounted = client.get(GRID, {"year": YEAR, "refresh": 1}).context["grid"]
    assert recounted.total == 3
    assert newcomer in [r.teacher for r in recounted.rows]
    school_grid = login(training_office).get(GRID, {"year": YEAR})
    assert school_grid.context["grid"].total == 3


def test_a_school_grid_keeps_its_order_until_counted_again(school, login, training_office, setup):
    """A school's grid is ordered the same way: the order and totals are kept a few minutes
    with the time they were counted, the rows are counted anew, and 重新统计 counts again."""
    client = login(training_office)
    first = client.get(GRID, {"year": YEAR})
    assert "统计于" in first.text and "refresh=1" in first.text
    assert first.context["grid"].total == 2
    newcomer = TeacherFactory(school=school, name="新任骨干")
    DesignationFactory(teacher=newcomer)
    assert client.get(GRID, {"year": YEAR}).context["grid"].total == 2
    recounted = client.get(GRID, {"year": YEAR, "refresh": 1}).context["grid"]
    assert recounted.total == 3
    assert newcomer in [r.teacher for r in recounted.rows]


def test_export_covers_every_page_of_the_grid(
    login, district_office, monkeypatch, setup, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("assessment.views.duties.GRID_PAGE_SIZE", 1)
    client = login(district_office)
    assert len(client.get(GRID, {"year": YEAR}).context["grid"].rows) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessment:duties_export"), {"query": f"year={YEAR}"})
    job = Job.objects.get(kind="duties_export")
    ws = load_workbook(job.file.path).active
    names = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert names == ["落后老师", "领先老师"]
