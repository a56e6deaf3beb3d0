"""优存劣汰: missing the configured share of a programme's sessions ends the place."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from training.ledger import register_mark
from training.models import Enrolment
from training.rules import places_review

from .conftest import TODAY, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def nine(programme):
    """Nine published sessions, all over (the last ones yesterday and before)."""
    return [make_session(programme, day=TODAY - datetime.timedelta(days=20 - i)) for i in range(9)]


def mark(sessions, teacher, by, statuses):
    for session, status in zip(sessions, statuses, strict=False):
        reason = "病假" if status == "leave" else ""
        register_mark(session=session, teacher=teacher, status=status, reason=reason, by=by)


def status(teacher, programme):
    return Enrolment.objects.get(teacher=teacher, programme=programme).status


def test_two_of_nine_missed_keeps_the_place_three_ends_it_with_a_notice(
    nine, programme, trainee, training_office, django_capture_on_commit_callbacks
):
    trainee.email = "li@example.org"
    trainee.save()
    training_office.email = "office@example.org"
    training_office.save()
    with django_capture_on_commit_callbacks(execute=True):
        mark(nine, trainee, training_office, ["absent", "absent"] + ["present"] * 7)
    assert status(trainee, programme) == "enrolled"
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        register_mark(session=nine[2], teacher=trainee, status="absent", by=training_office)
    assert status(trainee, programme) == "place_lost"
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"li@example.org", "office@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        assert places_review(programme=programme) == (0, 0)  # no second notice
    assert len(mail.outbox) == 1


def test_approved_leave_is_not_a_missed_session(nine, programme, trainee, training_office):
    mark(nine, trainee, training_office, ["leave"] * 4 + ["absent"] * 2 + ["present"] * 3)
    assert status(trainee, programme) == "enrolled"


def test_a_corrected_register_gives_the_place_back(nine, programme, trainee, training_office):
    mark(nine, trainee, training_office, ["absent"] * 3 + ["present"] * 6)
    assert status(trainee, programme) == "place_lost"
    register_mark(session=nine[0], teacher=trainee, status="present", by=training_office)
    assert status(trainee, programme) == "enrolled"


def test_the_share_is_configurable_per_programme(nine, programme, trainee, training_office):
    programme.absence_share = Decimal("0.5")
    programme.save()
    mark(nine, trainee, training_office, ["absent"] * 4 + ["present"] * 5)
    assert status(trainee, programme) == "enrolled"
    register_mark(session=nine[4], teacher=trainee, status="absent", by=training_office)
    assert status(trainee, programme) == "place_lost"


def test_the_programme_page_and_my_training_show_the_lost_place(
    client, nine, programme, trainee, teacher_user, training_office
):
    mark(nine, trainee, training_office, ["absent"] * 3)
    client.force_login(training_office)
    page = client.get(reverse("training:programme", args=[programme.pk]))
    assert page.context["lost_count"] == 1
    client.force_login(teacher_user)
    page = client.get(reverse("training:mine"))
    assert programme.title in page.content.decode() and page.context["places_lost"]


def test_no_line_in_a_taken_register_is_missed_an_untaken_register_is_not(
    nine, programme, trainee, trainees, training_office
):
    mark(nine[:2], trainees[0], training_office, ["present", "present"])
    places_review(programme=programme)
    assert status(trainee, programme) == "enrolled"  # 2 of 9: and 7 registers not taken yet
    mark(nine[2:3], trainees[0], training_office, ["present"])
    assert status(trainee, programme) == "place_lost"
