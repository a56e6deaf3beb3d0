"""The whole run, and the logins it prints."""

import datetime
import random
from collections.abc import Callable, Iterable

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from core.demo import DEMO_PASSWORD
from core.models import Role, school_year_start

from .constants import BENCH_PREFIX, BENCH_SEED
from .context import Bench, sizes_for
from .logins import seed_staff
from .organisations import (
    seed_district_targets,
    seed_duty_and_assessment_templates,
    seed_organisations,
)
from .rounds import seed_assessment_rounds
from .school import SchoolSeeder


def seed_bench(
    *,
    schools: int = 200,
    teachers: int = 20000,
    years: int = 5,
    code_prefix: str = BENCH_PREFIX,
    login_prefix: str = "",
    today: datetime.date | None = None,
    log: Callable[[str], None] | None = None,
) -> Bench:
    """Build the dataset; the caller has checked that the database has room for it."""
    if schools < 1 or teachers < schools or years < 1:
        raise ValueError("Need at least one school, a teacher per school and one school year.")
    today = today or timezone.localdate()
    current = school_year_start(today)
    bench = Bench(
        today=today,
        years=list(range(current - years + 1, current + 1)),
        code_prefix=code_prefix,
        login_prefix=login_prefix,
        log=log or (lambda message: None),
        rng=random.Random(BENCH_SEED),
        password_hash=make_password(DEMO_PASSWORD),
    )
    with transaction.atomic():
        seed_organisations(bench, schools)
        seed_duty_and_assessment_templates(bench)
        seed_staff(bench)
        seed_district_targets(bench)
    sizes = sizes_for(teachers, schools)
    for index, (school, size) in enumerate(zip(bench.schools, sizes, strict=True), start=1):
        SchoolSeeder(bench, school, size).run()
        if index % 10 == 0 or index == len(bench.schools):
            done = ", ".join(f"{v} {k}" for k, v in bench.counts.items())
            bench.log(f"{index}/{len(bench.schools)} schools: {done}")
    seed_assessment_rounds(bench)
    bench.log(f"{bench.counts['assessment rounds']} assessment rounds")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, so the planner sees the real sizes
    return bench


def summary_rows(bench: Bench) -> Iterable[tuple[str, str, str, str]]:
    roles = dict(Role.choices)
    yield ("username", "role", "where", "password")
    for login in bench.logins:
        yield (login.username, str(roles.get(login.role, login.role)), login.place, DEMO_PASSWORD)
