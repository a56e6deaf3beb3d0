"""The training office's compliance overview: ordering, filters, scoping, query count, the xlsx
export through a background job, and the demo data it shows."""

import datetime
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import Holiday, Job, SchoolYear, Semester
from mentoring.compliance import Light, compliance_for
from mentoring.models import GuidanceSession, Pairing
from records.models import Observation, Status
from tests.factories import (
    SchoolFactory,
    TeacherFactory,
    TeachingGroupFactory,
    user_with_role,
)
from tests.hostile_files import FORMULA, assert_inert

TODAY = timezone.localdate()
# Ten finished weeks, then the current one.
START = TODAY - datetime.timedelta(days=TODAY.weekday(), weeks=10)


def open_calendar(district):
    """A semester around today without holidays: every weekday is a teaching day."""
    year = SchoolYear.objects.create(
        district=district,
        start_year=TODAY.year - 1,
        start_date=TODAY - datetime.timedelta(days=200),
        end_date=TODAY + datetime.timedelta(days=200),
    )
    Semester.objects.create(
        school_year=year,
        number=1,
        start_date=TODAY - datetime.timedelta(days=150),
        end_date=TODAY + datetime.timedelta(days=100),
    )


def make_pairing(school, mentor, apprentice, *, status=Pairing.Status.ACTIVE, start=START):
    return Pairing.objects.create(
        school=school,
        mentor=TeacherFactory(school=school, name=mentor),
        apprentice=TeacherFactory(school=school, name=apprentice),
        origin=Pairing.Origin.SCHOOL,
        status=status,
        start_date=start,
        end_date=start + datetime.timedelta(days=364),
        goals="站稳讲台",
        mentor_duties="每周听课两节",
        apprentice_duties="每周听课一节",
    )


def observe_weeks(pairing, weeks, *, status=Status.VERIFIED):
    """Two mentor observations and one apprentice observation on the Monday of each of the
    given weeks (0 is the first week, 10 the current one)."""
    for week in weeks:
        monday = START + datetime.timedelta(weeks=week)
        for observer, observed in (
            (pairing.mentor, pairing.apprentice),
            (pairing.mentor, pairing.apprentice),
            (pairing.apprentice, pairing.mentor),
        ):
            Observation.objects.create(
                teacher=observer,
                observed_teacher=observed,
                pairing=pairing,
                date=monday,
                year=monday.year,
                subject="语文",
                status=status,
            )


@pytest.fixture
def pairings(school, other_school):
    open_calendar(school.district)
    open_calendar(other_school.district)
    green = make_pairing(school, "王芳", "李雪")
    observe_weeks(green, range(11))
    amber = make_pairing(school, "刘洋", "周敏")
    observe_weeks(amber, range(2, 11))  # two early weeks missed
    red = make_pairing(school, "陈静", "赵磊")  # nothing at all
    done = make_pairing(
        school,
        "孙丽",
        "吴婷",
        status=Pairing.Status.COMPLETED,
        start=START - datetime.timedelta(weeks=60),
    )
    far = make_pairing(other_school, "郑强", "冯佳")
    GuidanceSession.objects.create(
        pairing=amber, date=START, kind=GuidanceSession.Kind.DEBRIEF, notes="评课"
    )
    GuidanceSession.objects.create(
        pairing=amber, date=START, kind=GuidanceSession.Kind.LESSON_PLAN, notes="改教案"
    )
    return {"green": green, "amber": amber, "red": red, "done": done, "far": far}


def mentors(response) -> list[str]:
    return [row.pairing.mentor.name for row in response.context["page"]]


URL = reverse("mentoring:overview")


# -- what the overview shows -------------------------------------------------------------------
def test_overview_lists_active_pairings_furthest_behind_first(login, training_office, pairings):
    response = login(training_office).get(URL)

    assert response.status_code == 200
    assert mentors(response) == ["陈静", "刘洋", "王芳"]  # red, amber, green; not the completed
    lights = [row.compliance.light for row in response.context["page"]]
    assert lights == [Light.RED, Light.AMBER, Light.GREEN]
    assert dict(response.context["lights"]) == {"red": 1, "amber": 1, "green": 1, "none": 0}
    body = response.content.decode()
    assert reverse("mentoring:detail", args=[pairings["red"].pk]) in body
    assert "郑强" not in body  # another school's


def test_overview_rows_show_observations_missed_weeks_and_sessions(
    login, training_office, pairings
):
    rows = {r.pairing.mentor.name: r for r in login(training_office).get(URL).context["page"]}
    amber = rows["刘洋"]
    assert amber.pairing.session_count == 2
    assert amber.compliance.missed_weeks == 2
    assert amber.compliance.mentor.done == 18
    assert rows["王芳"].compliance.missed_weeks == 0
    assert rows["陈静"].compliance.mentor.done == 0
    assert rows["陈静"].compliance.mentor.required >= 20


def test_overview_filters_by_status_light_name_and_group(login, training_office, pairings):
    client = login(training_office)
    assert mentors(client.get(URL, {"status": "completed"})) == ["孙丽"]
    assert len(mentors(client.get(URL, {"status": ""}))) == 4
    assert mentors(client.get(URL, {"light": "amber"})) == ["刘洋"]
    assert mentors(client.get(URL, {"q": "周敏"})) == ["刘洋"]  # the apprentice's name
    group = TeachingGroupFactory(school=pairings["green"].school)
    pairings["green"].apprentice.group = group
    pairings["green"].apprentice.save()
    assert mentors(client.get(URL, {"group": group.pk})) == ["王芳"]


def test_light_counts_follow_the_other_filters_not_the_light(login, training_office, pairings):
    response = login(training_office).get(URL, {"light": "red", "q": "王"})
    assert mentors(response) == []
    assert dict(response.context["lights"])["green"] == 1


def test_htmx_filter_returns_only_the_results_fragment(login, training_office, pairings):
    response = login(training_office).get(URL, {"q": "王"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "王芳" in body and '<nav class="navbar' not in body


def test_overview_makes_a_constant_number_of_queries(login, training_office, school, count_queries):
    open_calendar(school.district)

    def add(n):
        for _ in range(n):
            pairing = make_pairing(school, "甲", "乙")
            observe_weeks(pairing, [1, 3], status=Status.SUBMITTED)
            GuidanceSession.objects.create(
                pairing=pairing, date=START, kind=GuidanceSession.Kind.DEBRIEF, notes="评课"
            )

    client = login(training_office)
    add(5)
    five = count_queries(client, URL)
    add(25)
    thirty = count_queries(client, URL)
    assert five == thirty


# -- who sees what ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status", "seen"),
    [
        ("principal", 200, {"陈静", "刘洋", "王芳"}),
        ("training_office", 200, {"陈静", "刘洋", "王芳"}),
        ("committee_member", 200, {"陈静", "刘洋", "王芳"}),
        ("district_office", 200, {"陈静", "刘洋", "王芳"}),
        ("outsider", 200, {"郑强"}),  # their own school's only
        ("teacher_user", 404, None),
    ],
)
def test_overview_scoping(request, login, pairings, who, status, seen):
    response = login(request.getfixturevalue(who)).get(URL)
    assert response.status_code == status
    if seen is not None:
        assert set(mentors(response)) == seen


def test_district_office_sees_every_school_of_its_district_only(login, school, pairings):
    sibling = SchoolFactory(district=school.district)
    make_pairing(sibling, "钱红", "何伟")
    office = user_with_role("district_office", district=school.district)
    response = login(office).get(URL)
    assert set(mentors(response)) == {"陈静", "刘洋", "王芳", "钱红"}
    assert "school" in response.context["filter"].filters
    assert mentors(login(office).get(URL, {"school": sibling.pk})) == ["钱红"]


def test_a_district_office_keeps_its_order_until_counted_again(login, school, pairings):
    """A district's overview orders hundreds of pairings: it keeps the order and the counts per
    light a few minutes, says when it counted and offers to count again. The rows of the page
    are counted anew every time."""
    office = user_with_role("district_office", district=school.district)
    client = login(office)
    first = client.get(URL)
    assert mentors(first) == ["陈静", "刘洋", "王芳"]
    assert "统计于" in first.text and "refresh=1" in first.text
    assert dict(first.context["lights"]) == {"red": 1, "amber": 1, "green": 1, "none": 0}

    observe_weeks(pairings["red"], range(11))  # 陈静 catches up
    make_pairing(school, "钱红", "何伟")  # and a new pairing starts
    kept = client.get(URL)
    assert mentors(kept) == ["陈静", "刘洋", "王芳"]  # the order counted before
    row = next(r for r in kept.context["page"] if r.pairing.mentor.name == "陈静")
    assert row.compliance.light == Light.GREEN  # the row: counted anew
    assert dict(kept.context["lights"])["red"] == 1

    again = client.get(URL, {"refresh": 1})
    assert set(mentors(again)) == {"陈静", "刘洋", "王芳", "钱红"}
    assert dict(again.context["lights"])["green"] == 2
    assert set(mentors(client.get(URL, {"light": "green"}))) == {"陈静", "王芳"}
    # A school's overview is counted at every visit.
    assert "refresh=1" not in login(user_with_role("training_office", school=school)).get(URL).text


def test_a_district_office_page_makes_a_constant_number_of_queries(login, school, count_queries):
    open_calendar(school.district)
    office = user_with_role("district_office", district=school.district)
    client = login(office)

    def add(n):
        for _ in range(n):
            pairing = make_pairing(school, "甲", "乙")
            observe_weeks(pairing, [1, 3], status=Status.SUBMITTED)

    add(5)
    counted, kept = count_queries(client, URL, {"refresh": 1}), count_queries(client, URL)
    add(25)
    assert count_queries(client, URL, {"refresh": 1}) == counted
    assert count_queries(client, URL) == kept
    assert kept <= counted


def test_the_mentor_of_a_pairing_still_gets_no_overview(login, school, pairings):
    user = user_with_role("teacher", school=school)
    mentor = pairings["green"].mentor
    mentor.user = user
    mentor.save()
    assert login(user).get(URL).status_code == 404


# -- the export ------------------------------------------------------------------------------
def export(client, query, capture):
    with capture(execute=True):
        response = client.post(reverse("mentoring:overview_export"), {"query": query})
    job = Job.objects.latest("pk")
    assert response.url == reverse("job", args=[job.pk])
    assert job.kind == "mentoring_compliance_export"
    assert job.status == Job.Status.DONE, job.error
    download = client.get(reverse("job_download", args=[job.pk]))
    return load_workbook(io.BytesIO(b"".join(download.streaming_content)))


def test_export_writes_the_filtered_scoped_overview(
    login, training_office, pairings, django_capture_on_commit_callbacks
):
    workbook = export(login(training_office), "", django_capture_on_commit_callbacks)
    sheet, weeks = workbook.worksheets
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert [row[1] for row in rows] == ["陈静", "刘洋", "王芳"]
    assert len(header) == 16
    expected = compliance_for(pairings=[pairings["amber"]])[pairings["amber"].pk]
    values = list(rows[1])
    assert values[2] == "周敏"
    assert values[6:9] == [expected.mentor.done, expected.mentor.required, 0]
    assert values[9:11] == [expected.apprentice.done, expected.apprentice.required]
    assert values[12:15] == [2, 2, expected.percent]  # missed weeks, sessions, percent
    week_rows = list(weeks.iter_rows(min_row=2, values_only=True))
    assert len(week_rows) == 3 * 11
    assert "郑强" not in [row[0] for row in week_rows]


def test_export_reapplies_filters_and_scope_as_the_requesting_user(
    login, outsider, training_office, pairings, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    sheet = export(login(training_office), "status=completed", capture).worksheets[0]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["孙丽"]
    sheet = export(login(outsider), "status=", capture).worksheets[0]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["郑强"]


def test_teacher_cannot_export_the_overview(login, teacher_user, pairings):
    response = login(teacher_user).post(reverse("mentoring:overview_export"))
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_export_needs_a_post(login, training_office):
    assert login(training_office).get(reverse("mentoring:overview_export")).status_code == 405


# -- the demo data ---------------------------------------------------------------------------
def counts() -> dict[str, int]:
    models = [Pairing, Observation, GuidanceSession, Holiday]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_demo_step_is_idempotent_and_shows_every_light(client):
    call_command("seed_demo", stdout=StringIO())
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first

    pairings = Pairing.objects.filter(school__code="GLXX01")
    statuses = list(pairings.values_list("status", flat=True))
    assert 4 <= len(statuses) <= 6
    assert statuses.count(Pairing.Status.COMPLETED) == 1
    assert statuses.count(Pairing.Status.PROPOSED) == 1
    login = pairings.filter(apprentice__user__username="teacher")
    assert login.filter(status=Pairing.Status.ACTIVE).exists()
    holiday = Holiday.objects.get(name="国庆节")
    assert (holiday.start_date.month, holiday.start_date.day, holiday.end_date.day) == (10, 1, 7)
    assert GuidanceSession.objects.exists()
    tagged = Observation.objects.filter(pairing__isnull=False)
    assert set(tagged.values_list("status", flat=True)) <= {Status.VERIFIED, Status.SUBMITTED}

    from core.models import User

    client.force_login(User.objects.get(username="office"))
    lights = {row.compliance.light for row in client.get(URL).context["page"]}
    assert {Light.GREEN, Light.AMBER, Light.RED} <= lights


def test_the_export_writes_a_name_that_looks_like_a_formula_as_text(
    login, training_office, pairings, django_capture_on_commit_callbacks
):
    mentor = pairings["green"].mentor
    mentor.name = FORMULA
    mentor.save()
    workbook = export(login(training_office), "", django_capture_on_commit_callbacks)
    assert_inert(workbook)
    weeks = workbook.worksheets[1]
    assert {c.data_type for c in weeks["A"] if c.value == FORMULA} == {"s"}
