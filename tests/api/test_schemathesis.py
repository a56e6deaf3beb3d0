"""Schemathesis against the API's own schema, in-process through the WSGI app (so it sees the
test's database): generated requests with a principal's token and a teacher's, every built-in
check (no server error, answers that match the schema, documented statuses), and one of ours:
no item of a school the token's user may not see. Examples are few per operation to keep the
run short (SCHEMATHESIS_EXAMPLES)."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import CheckContext
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.models import ApiToken
from api.tokens import token_create
from config.wsgi import application
from core.models import Role
from tests.api.conftest import build_school
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))


def reachable_schools(user) -> set[int]:
    scope = user.scope
    return set(scope.schools().values_list("pk", flat=True)) | set(scope.school_roles)


def no_other_school(allowed: set[int]):
    def no_row_of_another_school(ctx: CheckContext, response, case) -> bool | None:
        if response.status_code != 200 or case.method != "GET":
            return None
        data = response.json()
        if not isinstance(data, dict) or "results" not in data:
            return None
        key = "id" if case.path.endswith("/schools/") else "school"
        strays = {row[key] for row in data["results"]} - allowed
        assert not strays, f"items of schools {sorted(strays)} reached {case.path}"
        return True

    return no_row_of_another_school


def run_operations(token: str, user, *, method: str, excluded=()):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    check = no_other_school(reachable_schools(user))
    headers = {"Authorization": f"Bearer {token}"}
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != method:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,  # the same examples on every run: CI is not flaky
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            response = case.call(headers=headers)
            case.validate_response(
                response, headers=headers, additional_checks=[check], excluded_checks=excluded
            )

        exercise()
        ran += 1
    return ran


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """A WSGI request ends by closing old database connections (request_finished); the test's
    transaction lives on that connection. Django's test client unhooks the same handler."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(school, other_school, principal, outsider, teacher_user, settings):
    settings.API_THROTTLE_RATES = {k: "100000/hour" for k in settings.API_THROTTLE_RATES}
    build_school(school, principal, teachers=2, tag="甲")
    build_school(other_school, outsider, teachers=2, tag="乙")
    return school, other_school


def test_reads_with_a_principals_token(world, principal):
    _token, raw = token_create(user=principal)
    assert run_operations(raw, principal, method="GET") == 6


def test_reads_with_a_teachers_token(world, teacher_user):
    _token, raw = token_create(user=teacher_user)
    assert run_operations(raw, teacher_user, method="GET") == 6


def test_reads_with_a_token_of_someone_in_two_schools(world, school, other_school):
    user = user_with_role(Role.TRAINING_OFFICE, school=school, username="two-schools")
    user.role_assignments.create(role=Role.TEACHER, school=other_school)
    _token, raw = token_create(user=user)
    assert run_operations(raw, user, method="GET") == 6


def test_pushes_with_a_principals_hours_token(world, principal):
    """Generated batches name schools and teachers that mostly do not exist: a 400 with the
    entries' errors is the right answer, so the check that valid-looking data is accepted is
    left out; every other check runs."""
    _token, raw = token_create(user=principal, scope=ApiToken.Scope.HOURS)
    ran = run_operations(raw, principal, method="POST", excluded=[positive_data_acceptance])
    assert ran == 1
