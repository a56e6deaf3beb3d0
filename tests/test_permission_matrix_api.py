"""The permission matrix of the API: every URL of /api/, for every role of the matrix's world
(tests/test_permission_matrix.py) and for users holding roles in several schools, with a token
of that user. A token sees exactly what its user sees: each list holds the ids that the pages'
own predicates let the user open, nothing of the other school, and none of the own school's
secrets the role may not read."""

import pytest
from django.http import Http404
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.tokens import token_create
from assessment.models import AssessmentEntry, AssessmentRound
from assessment.selectors import results_visible
from backbone.models import Designation
from core.models import Role
from core.selectors import school_list
from records.models import Record, Status
from teachers.models import Teacher
from teachers.selectors import get_teacher
from tests import test_permission_matrix as matrix
from tests.factories import user_with_role

world = matrix.world
contract_pdf_stub = matrix.contract_pdf_stub


def api_urls(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "api":
                yield from (f"api:{p.name}" for p in p.url_patterns)
            continue
        assert isinstance(p, URLPattern)


def _page_teachers(user) -> set[int]:
    """Teachers whose profile page opens for ``user`` (the page's own lookup)."""
    seen = set()
    for pk in Teacher.objects.values_list("pk", flat=True):
        try:
            get_teacher(user=user, pk=pk)
        except Http404:
            continue
        seen.add(pk)
    return seen


def _page_results(user) -> set[int]:
    rounds = AssessmentRound.objects.select_related("school__district")
    visible = [r.pk for r in rounds if results_visible(user, r)]
    return set(AssessmentEntry.objects.filter(round__in=visible).values_list("pk", flat=True))


def _verified(user, **extra) -> set[int]:
    qs = Record.objects.visible_to(user).filter(status=Status.VERIFIED, **extra)
    return set(qs.values_list("pk", flat=True))


# What each list must hold for a user, by the pages' rules.
EXPECTED = {
    "api:schools": lambda user: set(school_list(user=user).values_list("pk", flat=True)),
    "api:teachers": _page_teachers,
    "api:designations": lambda u: set(
        Designation.objects.visible_to(u).values_list("pk", flat=True)
    ),
    "api:records": _verified,
    "api:hours": lambda user: _verified(user, kind="training"),
    "api:results": _page_results,
}
# Open to anyone: the schema and its documentation page.
PUBLIC = {"api:schema", "api:docs"}


@pytest.fixture
def verified(world, db):
    """The matrix's records wait for verification; each side gets verified ones too (in the
    test's transaction, rolled back after it)."""
    from tests.factories import OpenClassFactory, TrainingFactory

    for side, tag in ((world.own, "甲校"), (world.other, "乙校")):
        TrainingFactory(teacher=side["teacher"], status=Status.VERIFIED, course=f"{tag}已审核")
        OpenClassFactory(teacher=side["mentor"], status=Status.VERIFIED)


def test_every_api_url_is_in_the_table():
    assert sorted(set(api_urls()) - set(EXPECTED) - PUBLIC) == [], "add these API URLs"
    assert sorted((set(EXPECTED) | PUBLIC) - set(api_urls())) == [], "API URLs gone"


def bearer(user) -> Client:
    _token, raw = token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def listed(client, name) -> tuple[set[int], str]:
    response = client.get(reverse(name), {"page_size": 500})
    assert response.status_code == 200, (name, response.status_code)
    data = response.json()
    assert data["next"] is None
    return {row["id"] for row in data["results"]}, response.content.decode()


def several_roles(world) -> dict:
    """Users with roles in both schools of the world (two districts)."""
    own, other = world.own.school, world.other.school
    two_hats = user_with_role(Role.PRINCIPAL, school=own, username="api-two-hats")
    two_hats.role_assignments.create(role=Role.TEACHER, school=other)
    office_and_committee = user_with_role(
        Role.DISTRICT_OFFICE, district=own.district, username="api-office-committee"
    )
    office_and_committee.role_assignments.create(role=Role.COMMITTEE, school=other)
    return {"principal here, teacher there": two_hats, "district here, committee there": (
        office_and_committee
    )}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_lists_what_its_pages_show(world, verified, name):
    problems = []
    for role in matrix.ROLES:
        user = world.own.users[role]
        ids, content = listed(bearer(user), name)
        expected = EXPECTED[name](user)
        if ids != expected:
            problems.append(
                f"{role}: extra {sorted(ids - expected)}, missing {sorted(expected - ids)}"
            )
        if problem := matrix.shows(
            matrix.Result(200, "", content.encode(), {}, []), world.hidden_from(role)
        ):
            problems.append(f"{role}: {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_users_with_roles_in_several_schools_list_what_their_pages_show(world, verified, name):
    problems = []
    for label, user in several_roles(world).items():
        ids, _content = listed(bearer(user), name)
        expected = EXPECTED[name](user)
        if ids != expected:
            problems.append(
                f"{label}: extra {sorted(ids - expected)}, missing {sorted(expected - ids)}"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_principal_reads_their_school_and_a_teacher_their_own_profile(world, verified):
    principal = world.own.users["principal"]
    teacher = world.own.users["teacher"]
    assert listed(bearer(principal), "api:schools")[0] == {world.own.school.pk}
    assert listed(bearer(teacher), "api:teachers")[0] == {world.own["teacher"].pk}
    assert listed(bearer(teacher), "api:schools")[0] == set()
    for name in ("api:designations", "api:records", "api:hours", "api:results"):
        assert listed(bearer(principal), name)[0], f"{name}: the world should give it rows"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_anonymous_callers_get_401_not_the_login_page(world, name):
    for method in ("get", "post"):
        response = getattr(Client(), method)(reverse(name))
        assert response.status_code == 401, (method, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_the_schema_and_its_documentation_are_open(world, name):
    assert Client().get(reverse(name)).status_code == 200
