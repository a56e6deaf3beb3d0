import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from backbone.services.designations import designation_record
from recognition.models import Rate
from recognition.services import rate_set
from tests.factories import TeacherFactory, tier

# The school year 2025–2026; the tests pass "today" to every service.
SEPT = datetime.date(2025, 9, 1)


def month(year: int, number: int) -> datetime.date:
    return datetime.date(year, number, 1)


@pytest.fixture
def en_login(login):
    """Logged in, pages in English."""

    def _login(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


@pytest.fixture
def rates(school, district_office):
    """The district's defaults from September 2025: 20 yuan a month for the school tier, 50
    for the district tier; a teaching rookie 200 yuan, a mentor 100 for a school-level
    apprentice."""
    district = school.district
    made = {}
    for code, amount in (("school", 20), ("district", 50)):
        made[code] = rate_set(
            district=district,
            kind=Rate.Kind.ALLOWANCE,
            tier=tier(district, code),
            amount=Decimal(amount),
            valid_from=SEPT,
            by=district_office,
        )
    made["rookie"] = rate_set(
        district=district,
        kind=Rate.Kind.ROOKIE,
        amount=Decimal(200),
        valid_from=SEPT,
        by=district_office,
    )
    made["mentor"] = rate_set(
        district=district,
        kind=Rate.Kind.MENTOR,
        tier=tier(district, "school"),
        amount=Decimal(100),
        valid_from=SEPT,
        by=district_office,
    )
    return made


def designate(teacher, code="school", *, on=datetime.date(2025, 10, 15), by=None, source="round"):
    """A designation made on ``on`` (by a selection round, unless ``source`` says otherwise)
    for the term 2025–2027."""
    return designation_record(
        teacher=teacher,
        tier=tier(teacher.school.district, code),
        designated_by=teacher.school.name,
        first_year=2025,
        last_year=2026,
        source=source,
        by=by,
        today=on,
    )


@pytest.fixture
def backbone_teacher(school):
    return TeacherFactory(school=school, name="王芳", staff_no="W001")
