import datetime

import pytest
from django.urls import reverse

from core.models import Job, Role
from tests.factories import DesignationFactory, SchoolFactory, TeacherFactory, user_with_role
from tests.hostile_files import FORMULA, assert_inert

URL = reverse("documents:district")


def _school_with_data(district):
    school = SchoolFactory(district=district)
    teacher = TeacherFactory(school=school)
    DesignationFactory(teacher=teacher, first_year=2026, last_year=2027)
    TeacherFactory(school=school)
    return school


def test_the_district_office_sees_its_schools_side_by_side(school, district_office, login):
    _school_with_data(school.district)
    response = login(district_office).get(URL)
    assert response.status_code == 200
    assert school.name in response.text
    assert f"/teachers/?school={school.pk}" in response.text
    assert f"/backbone/roster/?school={school.pk}" in response.text


def test_school_staff_get_404(principal, training_office, login):
    assert login(principal).get(URL).status_code == 404
    assert login(training_office).get(URL).status_code == 404


def test_another_district_office_does_not_see_our_schools(school, other_school, login):
    other_office = user_with_role(Role.DISTRICT_OFFICE, district=other_school.district)
    response = login(other_office).get(URL)
    assert response.status_code == 200
    assert other_school.name in response.text and school.name not in response.text
    assert login(other_office).get(URL, {"district": school.district.pk}).status_code == 404


def test_the_overview_query_count_does_not_grow_with_schools(
    school, district_office, login, count_queries
):
    for _ in range(2):
        _school_with_data(school.district)
    client = login(district_office)
    few = count_queries(client, URL)
    for _ in range(4):
        _school_with_data(school.district)
    assert count_queries(client, URL) == few


def test_the_overview_exports_to_xlsx(
    school, district_office, login, django_capture_on_commit_callbacks
):
    import openpyxl

    _school_with_data(school.district)
    client = login(district_office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:district_export"))
    job = Job.objects.get()
    assert response.url == reverse("job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    ws = openpyxl.load_workbook(job.file).active
    assert ws.max_row == 3  # header and two schools


def test_the_overview_export_writes_a_school_name_that_looks_like_a_formula_as_text(
    school, district_office, login, django_capture_on_commit_callbacks
):
    import openpyxl

    _school_with_data(school.district)
    school.name = FORMULA
    school.save()
    with django_capture_on_commit_callbacks(execute=True):
        login(district_office).post(reverse("documents:district_export"))
    assert_inert(openpyxl.load_workbook(Job.objects.get().file))


@pytest.mark.parametrize("who", ["principal", "teacher_user"])
def test_only_the_district_office_may_export(who, request, login):
    user = request.getfixturevalue(who)
    assert login(user).post(reverse("documents:district_export")).status_code == 404


# -- the numbers, counted in the database, are the engine's ----------------------------------
def _engine_numbers(district, *, year, today):
    """Per school id: (duties (tier, kind) → met/total, hour buckets, hours met), the old way:
    the duty engine reading every record, and each teacher's hours one by one."""
    from collections import Counter, defaultdict

    from assessment.duties import DutyState, duty_statuses
    from documents.yearly import hour_buckets
    from records.hours import hours_for
    from teachers.models import Teacher

    bands = hour_buckets()
    teachers = list(Teacher.objects.filter(school__district=district).active())
    statuses = duty_statuses(teachers=teachers, year=year, today=today)
    found = defaultdict(lambda: (defaultdict(Counter), Counter(), [0]))
    for t in teachers:
        duties, buckets, met = found[t.school_id]
        for s in statuses[t.pk]:
            duties[(s.template.tier_id, s.kind)]["total"] += 1
            duties[(s.template.tier_id, s.kind)]["met"] += s.status == DutyState.MET
        h = hours_for(teacher=t, year=year)
        buckets[next(i for i, (b, _l) in enumerate(bands) if b is None or h.total < b)] += 1
        met[0] += h.met
    return found


@pytest.fixture
def duty_dataset(school):
    """Two schools of a district, 2025–2026: backbone teachers who met their duties, met
    some, met none; teachers without a tier; an inactive backbone teacher; a flagged one."""
    import datetime

    from assessment.services.duties import duty_templates_ensure_defaults
    from backbone.models import Designation
    from tests.factories import OpenClassFactory, SchoolYearFactory, TrainingFactory, tier

    district = school.district
    SchoolYearFactory(district=district, start_year=2025)
    duty_templates_ensure_defaults(district=district, year=2025)
    second = SchoolFactory(district=district)

    def backbone(school, code="school", **kwargs):
        t = TeacherFactory(school=school, **kwargs)
        DesignationFactory(teacher=t, tier=tier(district, code), first_year=2025, last_year=2026)
        return t

    def trainings(t, hours, school_based, status="verified"):
        TrainingFactory(teacher=t, hours=hours, school_based=True, status=status)
        TrainingFactory(teacher=t, hours=school_based, school_based=False, status=status)

    diligent = backbone(school)
    for level in (1, 2, 3):
        OpenClassFactory(teacher=diligent, status="verified", level=level)
    trainings(diligent, 30, 50)
    partly = backbone(school, "district")
    OpenClassFactory(teacher=partly, status="verified", level=2)
    OpenClassFactory(teacher=partly, status="submitted", level=3)
    trainings(partly, 10, 20)
    trainings(partly, 30, 30, status="submitted")
    backbone(school)  # nothing done
    flagged = backbone(second, "municipal")
    Designation.objects.filter(teacher=flagged).update(
        flagged_at=datetime.datetime.now(tz=datetime.UTC)
    )
    OpenClassFactory(
        teacher=flagged, status="verified", level=3, semester=2, date=datetime.date(2026, 3, 2)
    )
    trainings(flagged, 24, 48)
    plain = TeacherFactory(school=second)  # no tier: hours, no duties
    trainings(plain, 40, 40)
    TeacherFactory(school=second)
    backbone(second, is_active=False)
    return {"district": district, "schools": [school, second], "flagged": flagged}


@pytest.mark.parametrize(
    "today",
    [datetime.date(2025, 11, 20), datetime.date(2026, 4, 1), datetime.date(2026, 9, 15)],
    ids=["early", "mid-year", "after the year"],
)
def test_the_overview_counts_duties_and_hours_as_the_engine_does(duty_dataset, today):
    """The overview counts duties in the database and hours by the district's join: every
    school's duty table, hour buckets and percentages are those the engine gives, whether
    duties are met, behind, missed or partly met."""
    from documents.yearly import yearly_report

    district = duty_dataset["district"]
    expected = _engine_numbers(district, year=2025, today=today)
    report = yearly_report(year=2025, district=district, today=today)
    states = set()
    for s in report.schools:
        duties, buckets, met = expected[s.school.pk]
        assert dict(s.duties) == dict(duties)
        assert s.hours == buckets and s.hours_met == met[0]
        states |= {c["met"] < c["total"] for c in s.duties.values()}
    assert states == {True, False}  # some duties met by all, some not
    assert report.total.duty_percent not in (None, 0, 100)
    assert [p.teacher_id for p in report.total.flagged] == [duty_dataset["flagged"].pk]
    assert report.total.flagged[0].tier  # the tier held


def test_the_overview_query_count_does_not_grow_with_duties_and_records(
    school, district_office, login, count_queries
):
    from assessment.services.duties import duty_templates_ensure_defaults
    from core.models import school_year_start
    from tests.factories import OpenClassFactory, TrainingFactory

    year = school_year_start(datetime.date.today())
    duty_templates_ensure_defaults(district=school.district, year=year)

    def busy_school():
        s = _school_with_data(school.district)
        for t in s.teachers.all():
            if not t.designations.exists():
                DesignationFactory(teacher=t, first_year=year, last_year=year + 1)
            OpenClassFactory(teacher=t, status="verified", year=year)
            TrainingFactory(teacher=t, status="verified", year=year)

    busy_school()
    client = login(district_office)
    few = count_queries(client, URL, {"refresh": 1})
    for _ in range(3):
        busy_school()
    assert count_queries(client, URL, {"refresh": 1}) == few


# -- the schools side by side, the targets, the buttons -----------------------------------------
def test_the_overview_charts_every_school_side_by_side(school, district_office, login):
    from tests.html import visible_text

    second = _school_with_data(school.district)  # 1 backbone teacher of 2 on staff
    response = login(district_office).get(URL, HTTP_ACCEPT_LANGUAGE="en")

    charts = response.context["charts"]
    assert len(charts) == 4  # backbone share, duties, hours, grades
    share = str(charts[0])
    assert share.startswith("<svg") and "Backbone teachers, share of staff" in share
    assert f"{second.name}: 50%" in share  # the bar's tooltip
    assert f"{school.name}: —" in share  # no teacher on staff: no share
    assert "Schools side by side" in visible_text(response.content.decode())


def test_the_overview_shows_each_schools_nearest_target_with_its_year(
    school, district_office, login
):
    from backbone.models import Target
    from core.models import school_year_label, school_year_start
    from tests.factories import tier

    current = school_year_start(datetime.date.today())
    school_tier = tier(school.district, "school")
    Target.objects.create(school=school, tier=school_tier, by_year=current + 2, count=9)
    Target.objects.create(school=school, tier=school_tier, by_year=current + 1, count=6)
    Target.objects.create(school=school, tier=school_tier, by_year=current - 1, count=1)  # past

    response = login(district_office).get(URL)

    row = next(r for r in response.context["rows"] if r["school"] == school)
    codes = [t.code for t in response.context["report"].tiers]
    cell = row["cells"][codes.index("school")]
    assert cell["target"] == {"count": 6, "year": school_year_label(current + 1)}
    assert "/ 6" in response.text and school_year_label(current + 1) in response.text


def test_the_overviews_icon_buttons_are_labelled(school, district_office, login):
    response = login(district_office).get(URL, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    for label in ("Teachers", "Roster", "Duties", "Targets", "Yearly report"):
        assert f'title="{label}" aria-label="{label}"' in page
    assert "Buttons of each school:" in page  # the legend, readable without hovering
    assert "table-sticky-first" in page  # on a phone the name column stays while it scrolls
