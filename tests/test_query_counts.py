"""Every key page takes the same number of SQL queries for a small school as for a larger one,
and fewer than 20: the guard against N+1 queries on the pages bench/pages.py measures.

Both datasets come from the benchmark generator (bench/dataset/, `manage.py seed_bench`), so
each has every kind of row the pages show: designations with their history, records of every
kind and status, pairings with weekly observations, grades and an assessment round."""

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessment.models import AssessmentRound
from bench.dataset import seed_bench
from core.models import User
from records.models import Record
from teachers.models import Teacher
from tests.factories import TeacherFactory

MAX_QUERIES = 20

# (login, page, path); {teacher} and {round} are the dataset's own.
KEY_PAGES = [
    ("principal", "school dashboard", "/"),
    ("principal", "backbone roster", "/backbone/roster/"),
    ("principal", "teacher list", "/teachers/"),
    # Filters that match in both datasets: an empty page skips the page's query.
    ("principal", "teacher list, filtered", "/teachers/?stage=innovation&status=all"),
    ("district", "teacher list, searched", "/teachers/?q=X0&status=all"),
    ("principal", "teacher detail", "/teachers/{teacher}/"),
    ("teacher", "My growth", "/records/growth/"),
    ("office", "verification queue", "/records/verification/"),
    ("office", "duties grid", "/assessment/duties/"),
    ("district", "duties grid, district", "/assessment/duties/"),
    ("office", "mentoring compliance", "/mentoring/overview/"),
    ("office", "assessment round", "/assessment/rounds/{round}/"),
    ("district", "district dashboard", "/"),
    ("district", "district overview", "/assessment/district/"),
]


def queries(client: Client, url: str) -> tuple[int, int]:
    """(queries with warm caches, queries with the cache emptied first) of one GET."""
    client.get(url)  # warm-up: the session, cached numbers
    with CaptureQueriesContext(connection) as warm:
        response = client.get(url)
    assert response.status_code == 200, url
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    return len(warm.captured_queries), len(cold.captured_queries)


def counts_for(prefix: str, *, schools: int, teachers: int) -> tuple[dict, int]:
    """(queries per key page, records) for a dataset of its own, seen by its own logins."""
    bench = seed_bench(
        schools=schools, teachers=teachers, years=2, code_prefix=prefix, login_prefix=prefix
    )
    school = bench.schools[0]
    assert Teacher.objects.filter(school__in=bench.schools).count() == teachers
    ids = {
        "teacher": bench.login_teacher.pk,
        "round": AssessmentRound.objects.filter(school=school, year=bench.current).get().pk,
    }
    clients = {}
    for name in ("principal", "office", "teacher", "district"):
        clients[name] = Client()
        clients[name].force_login(User.objects.get(username=bench.username(name)))
    counts = {page: queries(clients[login], path.format(**ids)) for login, page, path in KEY_PAGES}
    return counts, Record.objects.filter(teacher__school__in=bench.schools).count()


def test_every_key_page_makes_the_same_few_queries_for_small_and_large_data(db):
    small, small_records = counts_for("QA", schools=2, teachers=6)  # 3 teachers a school
    large, large_records = counts_for("QB", schools=3, teachers=36)  # 12 teachers a school
    assert large_records > 2 * small_records
    differing = {page: (small[page], large[page]) for page in small if small[page] != large[page]}
    assert differing == {}, "queries ((warm, cold) small, (warm, cold) large) differ"
    too_many = {page: warm for page, (warm, _cold) in large.items() if warm >= MAX_QUERIES}
    assert too_many == {}, f"pages with {MAX_QUERIES} queries or more"


def test_the_district_overview_keeps_its_counted_numbers_until_counted_again(
    school, district_office, login
):
    """Counting a whole district is slow, so the overview keeps its numbers for a few minutes;
    the page says when it counted and offers to count again."""
    TeacherFactory(school=school)
    client = login(district_office)

    def teachers_shown(**params):
        response = client.get("/assessment/district/", params)
        assert "refresh=1" in response.text
        return response.context["rows"][0]["teachers"]

    assert teachers_shown() == 1
    TeacherFactory(school=school)
    assert teachers_shown() == 1
    assert teachers_shown(refresh=1) == 2
    assert teachers_shown() == 2


def test_a_long_duties_grid_is_shown_fifty_teachers_a_page(school, training_office, login):
    """A district's grid has hundreds of backbone teachers: rendering them all took seconds."""
    from assessment.services.duties import duty_templates_ensure_defaults
    from tests.factories import DesignationFactory, SchoolYearFactory

    year = 2025
    SchoolYearFactory(district=school.district, start_year=year)
    duty_templates_ensure_defaults(district=school.district, year=year)
    for _ in range(55):
        DesignationFactory(teacher=TeacherFactory(school=school), first_year=year, last_year=year)
    training_office.language = "en"
    training_office.save(update_fields=["language"])
    client = login(training_office)
    first = client.get("/assessment/duties/", {"year": year}).content.decode()
    second = client.get("/assessment/duties/", {"year": year, "page": 2}).content.decode()
    assert first.count("data-teacher=") == 50
    assert "55 backbone teachers" in first
    assert "Page 1 of 2" in first and f"year={year}&page=2" in first
    assert second.count("data-teacher=") == 5
