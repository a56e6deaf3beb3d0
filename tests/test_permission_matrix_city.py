"""The permission matrix of pages for a city office (市教育局).

tests/test_permission_matrix.py checks every URL for users holding one role; its ROLES have a
fixed column each, so the city office is checked here, over the same table (``RULES`` and
``PLAIN``) and the same world: school 甲校 in a district of city 1, whose office this user is,
and school 乙校 in a district of city 2.

The city office reads what the district office of its city's districts reads, and changes
nothing: for every object of 甲校 that the district office may reach (its letter is A) a GET is
answered (200, or a redirect that is no login page) or refused without leaking (403, 404); every
POST writes nothing. Of 乙校 (another city) nothing is found, and no page shows it.
"""

import pytest
from django.test import Client

from core.models import City, Role
from tests.test_permission_matrix import (
    PLAIN,
    RULES,
    URLS,
    World,
    build_side,
    contract_pdf_stub,  # noqa: F401 (the fixture, used by every test here)
    is_login_redirect,
    page_problems,
    rolled_back,
    send,
    shows,
    url_for,
)

CITY = "city"
JOB_ROW = '"core_job"'


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from tests.factories import user_with_role

    with rolled_back(django_db_blocker, tmp_path_factory.mktemp("matrix-city-media")):
        own = build_side("甲校", "城东实验小学")
        other = build_side("乙校", "河西第二中学")
        city = City.objects.create(code="C1", name="第一市教育局")
        City.objects.create(code="C2", name="第二市教育局")
        own.school.district.city = city
        own.school.district.save(update_fields=["city"])
        other.school.district.city = City.objects.get(code="C2")
        other.school.district.save(update_fields=["city"])
        client = Client()
        client.force_login(user_with_role(Role.CITY_OFFICE, city=city, username="city-office"))
        yield World(own, other, {CITY: client}, {}, marker="乙校", own_marker="甲校")


def rule_cases():
    cases = []
    for name, entry in sorted(URLS.items()):
        rules = RULES.get(name) if entry.kwargs else None
        for rule in (rules if isinstance(rules, list) else [rules]) if rules else []:
            if rule.other is not None:
                label = f"{name}[{rule.variant}]" if rule.variant else name
                cases.append(pytest.param(name, rule, id=label))
    return cases


def judge(*, method: str, district_may: bool, result, hidden: list[str]) -> str | None:
    if result.status >= 500 or is_login_redirect(result):
        return f"got {result.status} {result.location}".rstrip()
    # Asking for a printout of what one may read is no change: a job row and its file.
    writes = [w for w in result.writes if not (district_may and JOB_ROW in w)]
    if writes:
        return f"wrote: {writes[0]}"
    if method == "GET":
        answered = {200, 302, 403, 404} if district_may else {403, 404, 302}
        if result.status not in answered:
            return f"got {result.status}"
    return shows(result, hidden)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "rule"), rule_cases())
def test_a_city_office_reads_its_districts_objects_and_writes_nothing(world, name, rule):
    client = world.clients[CITY]
    hidden = world.hidden_from("district")
    problems = []
    for side_name in ("own", "other"):
        url = url_for(name, rule, world.side(side_name))
        district_may = side_name == "own" and rule.codes("own")["district"] == "A"
        methods = {"GET": ["GET"], "FILE": ["GET"], "POST": ["POST"], "FORM": ["GET", "POST"]}
        for method in methods[rule.method]:
            result = send(client, method, url, rule.data)
            if side_name == "other" and result.status not in (403, 404):
                problems.append(f"{side_name} {method} {url}: 乙校 found ({result.status})")
            elif problem := judge(
                method=method, district_may=district_may, result=result, hidden=hidden
            ):
                problems.append(f"{side_name} {method} {url}: {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_a_city_office_gets_every_page_the_district_office_reads_of_its_city(world):
    """The objects a district office reads (its letter A at its own school) answer the city
    office too, not only with a refusal: counted, so that a scope forgetting the city shows."""
    client = world.clients[CITY]
    answered, refused = [], []
    for param in rule_cases():
        name, rule = param.values
        if rule.method not in ("GET", "FILE") or rule.codes("own")["district"] != "A":
            continue
        result = send(client, "GET", url_for(name, rule, world.own))
        (answered if result.status in (200, 302) else refused).append(name)
    assert answered
    assert not refused, "refused to the city office: " + ", ".join(refused)


@pytest.mark.django_db
def test_pages_without_ids_show_nothing_of_another_city(world):
    queries = [""] + [
        f"?school={s.school.pk}&district={s.school.district_id}" for s in (world.own, world.other)
    ]
    problems = page_problems(world.clients[CITY], queries, world.hidden_from("district"))
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, m in PLAIN.items() if m == "POST"))
def test_actions_without_ids_write_nothing_for_a_city_office(world, name):
    from django.urls import reverse

    if name in ("logout", "language"):
        return  # a session's own business
    for query in ("", f"?school={world.own.school.pk}&district={world.own.school.district_id}"):
        result = send(world.clients[CITY], "POST", reverse(name) + query)
        assert result.status < 500, (name, result.status)
        writes = [w for w in result.writes if JOB_ROW not in w]
        assert not writes, (name, writes[0])
