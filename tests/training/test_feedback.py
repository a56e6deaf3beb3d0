"""Feedback: attendees answer once and anonymously; no aggregate under 3 answers."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import TeacherFactory, UserFactory
from training.feedback import summaries
from training.ledger import register_mark
from training.models import Enrolment, Feedback, FeedbackGiven

from .conftest import TODAY, make_session

pytestmark = pytest.mark.django_db
ANSWER = {"content": "5", "speaker": "4", "usefulness": "3", "comment": "很实用"}


@pytest.fixture
def past(programme):
    return make_session(programme, day=TODAY - datetime.timedelta(days=1))


def attendee(school, programme, session, office):
    user = UserFactory()
    teacher = TeacherFactory(school=school, user=user)
    Enrolment.objects.create(programme=programme, teacher=teacher, origin="named")
    register_mark(session=session, teacher=teacher, status="present", by=office)
    return user


def test_an_attendee_answers_once_and_the_answer_has_no_name(
    client, school, programme, past, training_office
):
    user = attendee(school, programme, past, training_office)
    client.force_login(user)
    assert past in [s for s in client.get(reverse("training:mine")).context["feedback_due"]]
    url = reverse("training:feedback", args=[past.pk])
    assert client.post(url, ANSWER).status_code == 302
    client.post(url, ANSWER)  # a second tab
    assert Feedback.objects.count() == 1 and FeedbackGiven.objects.count() == 1
    assert {f.name for f in Feedback._meta.get_fields()} >= {"content", "comment"}
    assert not {"teacher", "created_at"} & {f.name for f in Feedback._meta.get_fields()}
    assert client.get(reverse("training:mine")).context["feedback_due"] == []


def test_someone_who_did_not_attend_cannot_answer(client, past, trainee, teacher_user):
    client.force_login(teacher_user)
    url = reverse("training:feedback", args=[past.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, ANSWER).status_code == 404
    assert not Feedback.objects.exists()


def test_a_bad_rating_is_a_field_error(client, school, programme, past, training_office):
    client.force_login(attendee(school, programme, past, training_office))
    response = client.post(reverse("training:feedback", args=[past.pk]), {**ANSWER, "content": "9"})
    assert response.status_code == 200 and "content" in response.context["form"].errors
    assert not FeedbackGiven.objects.exists()


def test_no_aggregate_under_three_answers(client, school, programme, past, training_office):
    for rating in ("5", "3"):
        client.force_login(attendee(school, programme, past, training_office))
        client.post(reverse("training:feedback", args=[past.pk]), {**ANSWER, "content": rating})
    summary = summaries(sessions=[past])[past.pk]
    assert summary.answers == 2 and summary.content is None and summary.comments == ()
    client.force_login(training_office)
    page = client.get(reverse("training:programme", args=[past.programme_id])).content.decode()
    assert "很实用" not in page
    client.force_login(attendee(school, programme, past, training_office))
    client.post(reverse("training:feedback", args=[past.pk]), {**ANSWER, "content": "4"})
    summary = summaries(sessions=[past])[past.pk]
    assert (summary.answers, summary.content) == (3, 4.0)
    client.force_login(training_office)
    page = client.get(reverse("training:programme", args=[past.programme_id])).content.decode()
    assert "很实用" in page
