"""The annual training-needs survey (研训需求调查): the office opens one with the usual
questions, each teacher answers once and anonymously, the office reads aggregates (none of
fewer than 3 answers), a district survey shows each school its own teachers, exported as xlsx,
and a topic asked for opens a new programme."""

import io
import uuid

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.models import Job, Role
from tests.factories import SchoolFactory, TeacherFactory, user_with_role
from training.models import NeedsAnswer, NeedsGiven, NeedsResponse, NeedsSurvey
from training.needs import services

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def open_survey(client, user, organiser, year=YEAR):
    client.force_login(user)
    response = client.post(reverse("training:needs_new"), {"organiser": organiser, "year": year})
    assert response.status_code == 302, response.content.decode()[:2000]
    return NeedsSurvey.objects.latest("pk")


def teacher_at(school):
    user = user_with_role(Role.TEACHER, school=school)
    TeacherFactory(school=school, user=user)
    return user


def answer(client, user, survey, topics=(0, 1), form=2, time=0, problems=""):
    q = {x.key: f"q{x.pk}" for x in services.questions_of(survey)}
    data = {q["topics"]: list(topics), q["forms"]: [form], q["times"]: time}
    data[q["problems"]] = problems
    client.force_login(user)
    return client.post(reverse("training:needs_answer", args=[survey.pk]), data)


@pytest.fixture
def survey(client, school, school_year, training_office):
    return open_survey(client, training_office, f"s{school.pk}")


def test_the_office_opens_one_survey_a_year_with_the_usual_questions(
    client, school, survey, training_office
):
    assert survey.school == school and survey.year == YEAR and survey.is_open
    assert [q.key for q in services.questions_of(survey)] == [
        "topics", "forms", "times", "problems",
    ]  # fmt: skip
    again = open_survey(client, training_office, f"s{school.pk}")
    assert again == survey and NeedsSurvey.objects.count() == 1
    with translation.override("en"):
        page = client.get(reverse("training:needs", args=[survey.pk]), HTTP_ACCEPT_LANGUAGE="en")
        page = page.content.decode()
    assert "Topics you want training on" in page and "Unit and lesson design" in page


def test_a_teacher_answers_once_from_my_training_and_nothing_names_them(client, school, survey):
    user = teacher_at(school)
    client.force_login(user)
    assert client.get(reverse("training:mine")).context["surveys"] == [survey]
    home = client.get(reverse("home")).content.decode()
    assert reverse("training:needs_answer", args=[survey.pk]) in home
    assert answer(client, user, survey, problems="大单元作业设计").status_code == 302
    answer(client, user, survey)  # a second tab
    assert NeedsGiven.objects.count() == 1 and NeedsResponse.objects.count() == 1
    assert NeedsAnswer.objects.count() == 5  # two topics, a form, a time, a text
    for model in (NeedsResponse, NeedsAnswer):
        names = {f.name for f in model._meta.get_fields()}
        assert not {"teacher", "user", "created_at"} & names
        assert isinstance(model.objects.first().pk, uuid.UUID)
    assert client.get(reverse("training:mine")).context["surveys"] == []


def test_teachers_of_another_school_and_a_closed_survey_get_no_form(
    client, school, other_school, survey, training_office
):
    stranger = teacher_at(other_school)
    client.force_login(stranger)
    assert client.get(reverse("training:needs_answer", args=[survey.pk])).status_code == 404
    client.force_login(training_office)
    client.post(reverse("training:needs_close", args=[survey.pk]))
    user = teacher_at(school)
    assert answer(client, user, survey).status_code == 404
    assert not NeedsResponse.objects.exists()


def test_results_show_from_three_answers(client, school, survey, training_office):
    for topics, text in (((0, 1), "分层作业难以落实"), ((1,), "")):
        answer(client, teacher_at(school), survey, topics=topics, problems=text)
    summary = services.results(user=training_office, survey=survey)
    assert summary.responses == 2 and all(not q.shown for q in summary.questions)
    answer(client, teacher_at(school), survey, topics=(1, 4), problems="课件制作")
    summary = services.results(user=training_office, survey=survey)
    topics = summary.by_key("topics")
    assert topics.shown and topics.answers == 3
    assert topics.options[0][1:] == (3, 100)  # the second topic: chosen by all three
    assert summary.by_key("problems").texts == ()  # two texts only
    client.force_login(training_office)
    with translation.override("zh-hans"):
        page = client.get(reverse("training:needs", args=[survey.pk])).content.decode()
    assert "分层作业难以落实" not in page  # one of two free texts: not shown
    new = reverse("training:programme_new")
    assert f'href="{new}?title=' in page  # a programme from a topic asked for


def test_a_topic_opens_a_new_programme_with_its_title(client, school, training_office):
    client.force_login(training_office)
    page = client.get(reverse("training:programme_new"), {"title": "单元教学设计"})
    assert page.context["form"].initial["title"] == "单元教学设计"


def test_a_district_survey_shows_each_school_its_own_teachers(
    client, school, school_year, district_office, principal, outsider
):
    survey = open_survey(client, district_office, f"d{school.district_id}")
    neighbour = SchoolFactory(district=school.district, code="A002")
    neighbour_principal = user_with_role(Role.PRINCIPAL, school=neighbour)
    for _ in range(3):
        answer(client, teacher_at(school), survey, topics=(0,))
    for _ in range(2):
        answer(client, teacher_at(neighbour), survey, topics=(5,))
    everyone = services.results(user=district_office, survey=survey)
    assert everyone.responses == 5 and everyone.by_key("topics").counts == {0: 3, 5: 2}
    own = services.results(user=principal, survey=survey)
    assert own.responses == 3 and own.by_key("topics").counts == {0: 3}
    theirs = services.results(user=neighbour_principal, survey=survey)
    assert theirs.responses == 2 and not theirs.by_key("topics").shown
    client.force_login(district_office)
    page = client.get(reverse("training:needs", args=[survey.pk]), {"school": neighbour.pk})
    assert page.context["school"] == neighbour and page.context["summary"].responses == 2
    client.force_login(principal)
    page = client.get(reverse("training:needs", args=[survey.pk]), {"school": neighbour.pk})
    assert page.context["school"] is None and page.context["summary"].responses == 3
    assert not page.context["can_edit"]
    client.force_login(outsider)
    assert client.get(reverse("training:needs", args=[survey.pk])).status_code == 404


def test_the_organiser_acts_a_reader_reads_another_school_is_refused(
    client, survey, committee_member, outsider, training_office
):
    url = reverse("training:needs", args=[survey.pk])
    client.force_login(committee_member)
    page = client.get(url)
    assert page.status_code == 200 and not page.context["can_edit"]
    assert not page.context["may_export"]
    assert client.post(reverse("training:needs_close", args=[survey.pk])).status_code == 403
    add = reverse("training:needs_question_add", args=[survey.pk])
    assert client.post(add, {"kind": "text", "text": "x"}).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(reverse("training:needs_close", args=[survey.pk])).status_code == 404
    survey.refresh_from_db()
    assert survey.is_open
    client.force_login(training_office)
    assert client.post(add, {"kind": "yes_no", "text": "愿意承担讲座吗？"}).status_code == 302
    assert services.questions_of(survey)[-1].text == "愿意承担讲座吗？"
    remove = reverse("training:needs_question_remove", args=[survey.pk])
    question = services.questions_of(survey)[-1]
    assert client.post(remove, {"question": question.pk}).status_code == 302
    assert len(services.questions_of(survey)) == 4


def test_the_results_page_costs_the_same_with_more_answers_and_schools(
    client, school, school_year, district_office, count_queries
):
    survey = open_survey(client, district_office, f"d{school.district_id}")
    url = reverse("training:needs", args=[survey.pk])

    def add(schools):
        for i in range(schools):
            other = SchoolFactory(district=school.district)
            for _ in range(3):
                answer(client, teacher_at(other), survey, topics=(i % 8,), problems=f"问题{i}")

    add(1)
    client.force_login(district_office)
    few = count_queries(client, url)
    add(4)
    client.force_login(district_office)
    assert few <= 14
    assert count_queries(client, url) == few


def test_the_export_holds_the_aggregates_each_school_may_read(
    client, school, school_year, district_office, principal, django_capture_on_commit_callbacks
):
    survey = open_survey(client, district_office, f"d{school.district_id}")
    neighbour = SchoolFactory(district=school.district, code="A002")
    for _ in range(3):
        answer(client, teacher_at(school), survey, topics=(0,), problems="作业设计")
        answer(client, teacher_at(neighbour), survey, topics=(3,), problems="班级管理")

    def export(user):
        client.force_login(user)
        with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
            assert (
                client.post(reverse("training:needs_export", args=[survey.pk])).status_code == 302
            )
        job = Job.objects.filter(kind="training_needs_export").latest("pk")
        assert job.status == Job.Status.DONE, job.error
        book = load_workbook(io.BytesIO(job.file.read()), read_only=True)
        return job, "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )

    job, text = export(district_office)
    assert job.district == school.district and "作业设计" in text and "班级管理" in text
    job, text = export(principal)
    assert job.school == school and "作业设计" in text and "班级管理" not in text
    assert neighbour.name not in text
