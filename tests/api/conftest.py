import datetime

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.tokens import token_create


@pytest.fixture
def bearer():
    """A client sending ``Authorization: Bearer`` with a new token of ``user``."""

    def _client(user, scope=ApiToken.Scope.READ, **kwargs) -> Client:
        _token, raw = token_create(user=user, scope=scope, **kwargs)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return _client


def build_school(school, principal, *, teachers: int = 3, tag: str = ""):
    """A school's rows for every endpoint: teachers with a designation, a verified training and
    open class, a submitted and a draft training, one credited by a session, and a round whose
    results are posted (or, with ``posted=False`` on the round below, still being scored)."""
    from assessment.models import AssessmentEntry, AssessmentRound
    from assessment.services import rounds as round_services
    from records.models import Status
    from tests.factories import (
        DesignationFactory,
        OpenClassFactory,
        TeacherFactory,
        TrainingFactory,
    )

    made = []
    for i in range(teachers):
        teacher = TeacherFactory(school=school, name=f"{tag}老师{i}", phone=f"1390000{i:04d}")
        DesignationFactory(teacher=teacher, first_year=2025, last_year=2027)
        TrainingFactory(teacher=teacher, status=Status.VERIFIED, course=f"{tag}已审核培训{i}")
        TrainingFactory(teacher=teacher, status=Status.SUBMITTED, course=f"{tag}待审核培训{i}")
        TrainingFactory(teacher=teacher, status=Status.DRAFT, course=f"{tag}草稿培训{i}")
        TrainingFactory(teacher=teacher, status=Status.VERIFIED, source=f"training-session:{i}")
        OpenClassFactory(teacher=teacher, status=Status.VERIFIED)
        made.append(teacher)
    round = round_services.round_open(
        school=school,
        kind="annual",
        year=2025,
        title=f"{tag}年度考核",
        committee=[principal],
        by=principal,
    )
    today = timezone.localdate()
    AssessmentRound.objects.filter(pk=round.pk).update(
        status=AssessmentRound.Status.POSTED,
        notice_from=today - datetime.timedelta(days=1),
        notice_until=today + datetime.timedelta(days=5),
    )
    AssessmentEntry.objects.filter(round=round).update(grade=3, score=88)
    return made
