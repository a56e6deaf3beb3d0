"""Feedback: attendees answer the programme's questions once and anonymously; the organiser
sees no aggregate of fewer than 3 answers."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import TeacherFactory, UserFactory
from training.feedback import programme_summary, question_add, questions_ensure, summaries
from training.ledger import register_mark
from training.models import (
    Enrolment,
    FeedbackAnswer,
    FeedbackGiven,
    FeedbackQuestion,
    FeedbackResponse,
)

from .conftest import TODAY, make_session

pytestmark = pytest.mark.django_db


def answer(session, content="5", speaker="4", usefulness="3", comment="很实用", **extra):
    """The POST of the default form: its fields are named by the question rows' ids."""
    q = {x.key: f"q{x.pk}" for x in questions_ensure(programme=session.programme)}
    data = {q["content"]: content, q["speaker"]: speaker, q["usefulness"]: usefulness}
    data[q["comment"]] = comment
    return {**data, **extra}


@pytest.fixture
def past(programme):
    return make_session(programme, day=TODAY - datetime.timedelta(days=1))


def attendee(school, programme, session, office):
    user = UserFactory()
    teacher = TeacherFactory(school=school, user=user)
    Enrolment.objects.create(programme=programme, teacher=teacher, origin="named")
    register_mark(session=session, teacher=teacher, status="present", by=office)
    return user


def test_an_attendee_answers_once_and_the_answer_cannot_be_traced_to_them(
    client, school, programme, past, training_office
):
    user = attendee(school, programme, past, training_office)
    client.force_login(user)
    assert past in [s for s in client.get(reverse("training:mine")).context["feedback_due"]]
    url = reverse("training:feedback", args=[past.pk])
    page = client.get(url).content.decode()
    assert "The content of the session" in page or "培训内容" in page
    assert client.post(url, answer(past)).status_code == 302
    client.post(url, answer(past))  # a second tab
    assert FeedbackResponse.objects.count() == 1 and FeedbackGiven.objects.count() == 1
    assert FeedbackAnswer.objects.count() == 4
    # No name, no time, and a random key: nothing to match with the list of who answered.
    for model in (FeedbackResponse, FeedbackAnswer):
        names = {f.name for f in model._meta.get_fields()}
        assert not {"teacher", "created_at", "user", "updated_at"} & names
        assert isinstance(model.objects.first().pk, uuid.UUID)
    assert client.get(reverse("training:mine")).context["feedback_due"] == []


def test_someone_who_did_not_attend_cannot_answer(client, past, trainee, teacher_user):
    client.force_login(teacher_user)
    url = reverse("training:feedback", args=[past.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert not FeedbackResponse.objects.exists()


def test_a_bad_rating_is_a_field_error(client, school, programme, past, training_office):
    client.force_login(attendee(school, programme, past, training_office))
    response = client.post(reverse("training:feedback", args=[past.pk]), answer(past, "9"))
    assert response.status_code == 200 and response.context["form"].errors
    assert not FeedbackGiven.objects.exists() and not FeedbackResponse.objects.exists()


def test_no_aggregate_and_no_comment_under_three_answers(
    client, school, programme, past, training_office
):
    for rating, comment in (("5", "很实用"), ("3", "")):
        client.force_login(attendee(school, programme, past, training_office))
        client.post(
            reverse("training:feedback", args=[past.pk]), answer(past, rating, comment=comment)
        )
    summary = summaries(sessions=[past])[past.pk]
    assert summary.responses == 2 and not summary.shown
    assert summary.by_key("content").average is None and summary.by_key("comment").texts == ()
    assert programme_summary(programme=programme).by_key("content").average is None
    client.force_login(training_office)
    page = client.get(reverse("training:programme", args=[programme.pk])).content.decode()
    assert "很实用" not in page
    client.force_login(attendee(school, programme, past, training_office))
    client.post(reverse("training:feedback", args=[past.pk]), answer(past, "4", comment="案例好"))
    summary = summaries(sessions=[past])[past.pk]
    assert (summary.responses, summary.by_key("content").average) == (3, 4.0)
    # two comments only: still under the threshold for the comment question
    assert summary.by_key("comment").answers == 2 and summary.by_key("comment").texts == ()
    client.force_login(attendee(school, programme, past, training_office))
    client.post(reverse("training:feedback", args=[past.pk]), answer(past, "4", comment="希望多些"))
    texts = summaries(sessions=[past])[past.pk].by_key("comment").texts
    assert texts == tuple(sorted(["很实用", "案例好", "希望多些"]))  # a fixed order, not who first
    client.force_login(training_office)
    page = client.get(reverse("training:programme", args=[programme.pk])).content.decode()
    assert "很实用" in page


def test_the_organiser_adds_a_yes_no_question_that_attendees_then_answer(
    client, school, programme, past, training_office
):
    client.force_login(training_office)
    url = reverse("training:feedback_questions", args=[programme.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "yes_no", "text": "会推荐给同事吗？", "required": "on"})
    assert response.status_code == 302
    question = FeedbackQuestion.objects.get(text="会推荐给同事吗？")
    for choice in ("1", "1", "0"):
        client.force_login(attendee(school, programme, past, training_office))
        client.post(
            reverse("training:feedback", args=[past.pk]),
            answer(past, **{f"q{question.pk}": choice}),
        )
    summary = programme_summary(programme=programme)
    assert [s.yes_percent for s in summary.questions if s.question == question] == [67]


def test_a_choice_question_needs_two_options(client, programme, training_office):
    client.force_login(training_office)
    url = reverse("training:feedback_questions", args=[programme.pk])
    response = client.post(url, {"kind": "choice", "text": "哪部分最有用？", "options": "案例"})
    assert response.status_code == 200 and "options" in response.context["form"].errors
    assert not FeedbackQuestion.objects.filter(text="哪部分最有用？").exists()


def test_removing_an_answered_question_keeps_its_answers(
    client, school, programme, past, training_office
):
    client.force_login(attendee(school, programme, past, training_office))
    client.post(reverse("training:feedback", args=[past.pk]), answer(past))
    speaker = FeedbackQuestion.objects.get(programme=programme, key="speaker")
    extra = question_add(programme=programme, by=training_office, kind="text", text="其他")
    client.force_login(training_office)
    for question in (speaker, extra):
        url = reverse("training:feedback_question_remove", args=[programme.pk])
        assert client.post(url, {"question": question.pk}).status_code == 302
    speaker.refresh_from_db()
    assert not speaker.active and FeedbackAnswer.objects.filter(question=speaker).count() == 1
    assert not FeedbackQuestion.objects.filter(pk=extra.pk).exists()
    client.force_login(attendee(school, programme, past, training_office))
    form = client.get(reverse("training:feedback", args=[past.pk])).context["form"]
    assert f"q{speaker.pk}" not in form.fields and len(form.fields) == 3


def test_a_default_question_is_removed_before_any_is_written(client, programme, training_office):
    client.force_login(training_office)
    url = reverse("training:feedback_question_remove", args=[programme.pk])
    assert client.post(url, {"question": "key:speaker"}).status_code == 302
    assert sorted(q.key for q in programme.feedback_questions.filter(active=True)) == [
        "comment", "content", "usefulness",
    ]  # fmt: skip
    assert client.post(url, {"question": "key:nothing"}).status_code == 404


def test_questions_page_for_organiser_reader_and_another_school(
    client, programme, training_office, committee_member, outsider, django_assert_max_num_queries
):
    url = reverse("training:feedback_questions", args=[programme.pk])
    client.force_login(committee_member)  # sees the programme, does not organise it
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    assert client.post(url, {"kind": "text", "text": "x"}).status_code == 403
    assert not FeedbackQuestion.objects.exists()  # reading writes nothing
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(training_office)
    client.get(url)
    with translation.override("en"), django_assert_max_num_queries(12):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "Usefulness for my teaching" in page.content.decode()


def test_the_programme_page_costs_the_same_with_more_sessions_and_answers(
    client, school, programme, training_office, count_queries
):
    def add(n):
        for i in range(n):
            session = make_session(programme, day=TODAY - datetime.timedelta(days=i + 2))
            for _ in range(3):
                user = attendee(school, programme, session, training_office)
                client.force_login(user)
                client.post(reverse("training:feedback", args=[session.pk]), answer(session))

    add(2)
    client.force_login(training_office)
    few = count_queries(client, reverse("training:programme", args=[programme.pk]))
    add(4)
    client.force_login(training_office)
    assert few <= 17  # the page also lists applications
    assert count_queries(client, reverse("training:programme", args=[programme.pk])) == few


def test_no_form_to_give_once_every_question_is_removed(
    client, school, programme, past, training_office
):
    user = attendee(school, programme, past, training_office)
    client.force_login(training_office)
    url = reverse("training:feedback_question_remove", args=[programme.pk])
    for key in ("content", "speaker", "usefulness", "comment"):
        assert client.post(url, {"question": f"key:{key}"}).status_code == 302
    assert programme.feedback_questions.filter(active=True).count() == 0  # no defaults back
    client.force_login(user)
    assert client.get(reverse("training:mine")).context["feedback_due"] == []
