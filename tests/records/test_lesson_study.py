"""Lesson study (磨课, 同课异构): open classes linked round by round, their evaluations and
observations side by side; who may start one, add a round, or only read it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from records.models import LessonStudy, Observation, OpenClassEvaluation
from records.selectors.lessonstudy import comparison
from records.services.lessonstudy import lesson_study_create, lesson_study_round_add
from tests.factories import OpenClassFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def _evaluate(open_class, school, *ratings):
    for rating in ratings:
        OpenClassEvaluation.objects.create(
            open_class=open_class, observer=TeacherFactory(school=school), design=rating,
            delivery=rating, engagement=rating, effect=rating, comments="好",
        )  # fmt: skip


def _study(school, by, kind=LessonStudy.Kind.POLISHING):
    return lesson_study_create(school=school, kind=kind, lesson="《秋天的雨》", subject="语文",
                               grade="三年级", theme="朗读指导", by=by)  # fmt: skip


@pytest.fixture
def teacher(school):
    return TeacherFactory(school=school, name="磨课老师")


def test_the_rounds_show_their_ratings_side_by_side_in_order(school, principal, teacher):
    study = _study(school, principal)
    first = OpenClassFactory(teacher=teacher, status="verified", topic="第一轮")
    second = OpenClassFactory(teacher=teacher, status="verified", topic="第二轮")
    _evaluate(first, school, 3, 4)
    _evaluate(second, school, 5)
    observer = TeacherFactory(school=school)
    Observation.objects.create(teacher=observer, date=first.date, year=2025, subject="语文",
                               open_class=first, rating=2, status="verified")  # fmt: skip
    lesson_study_round_add(study=study, open_class=first, note="初稿", by=principal)
    lesson_study_round_add(study=study, open_class=second, note="改朗读环节", by=principal)
    lesson_study_round_add(study=study, open_class=second, by=principal)  # twice: one round
    rows = comparison(study=study, user=principal)
    assert [(r.round.number, r.round.open_class.topic) for r in rows] == [
        (1, "第一轮"),
        (2, "第二轮"),
    ]
    assert [(r.evaluations, r.overall) for r in rows] == [(2, 3.5), (1, 5.0)]
    assert [(r.observations, r.observed_rating) for r in rows] == [(1, 2.0), (0, None)]


def test_a_polished_lesson_is_one_teachers_and_a_same_lesson_study_takes_several(
    school, principal, teacher, other_school
):
    polished = _study(school, principal)
    lesson_study_round_add(study=polished, open_class=OpenClassFactory(teacher=teacher,
                           status="verified"), by=principal)  # fmt: skip
    someone_else = OpenClassFactory(teacher=TeacherFactory(school=school), status="verified")
    with pytest.raises(ValidationError):
        lesson_study_round_add(study=polished, open_class=someone_else, by=principal)
    same = _study(school, principal, LessonStudy.Kind.SAME_LESSON)
    lesson_study_round_add(study=same, open_class=someone_else, by=principal)
    lesson_study_round_add(study=same, open_class=OpenClassFactory(teacher=teacher,
                           status="submitted"), by=principal)  # fmt: skip
    with pytest.raises(ValidationError):  # another school's class, or a draft
        elsewhere = OpenClassFactory(teacher=TeacherFactory(school=other_school), status="verified")
        lesson_study_round_add(study=same, open_class=elsewhere, by=principal)
    with pytest.raises(ValidationError):
        lesson_study_round_add(
            study=same, open_class=OpenClassFactory(teacher=teacher), by=principal
        )
    assert same.rounds.count() == 2


def test_who_may_start_add_read_or_not_even_see(
    login, school, principal, committee_member, teacher_user, outsider, teacher
):
    with pytest.raises(PermissionDenied):
        _study(school, committee_member)
    study = _study(school, teacher_user)  # a teacher polishes their own lesson
    lesson = OpenClassFactory(teacher=teacher_user.teacher, status="verified")
    url = reverse("records:lesson_study", args=[study.pk])
    for user in (principal, teacher_user):
        assert login(user).get(url).status_code == 200
    assert 'name="open_class"' in login(principal).get(url).content.decode()
    page = login(committee_member).get(url)
    assert page.status_code == 200 and 'name="open_class"' not in page.content.decode()
    assert login(committee_member).post(url, {"open_class": lesson.pk}).status_code == 403
    assert login(outsider).get(url).status_code == 404
    assert login(outsider).post(url, {"open_class": lesson.pk}).status_code == 404
    assert login(teacher_user).post(url, {"open_class": lesson.pk}).status_code == 302
    assert study.rounds.get().open_class_id == lesson.pk
    remove = reverse("records:lesson_study_round_remove", args=[study.pk, study.rounds.get().pk])
    assert login(committee_member).post(remove).status_code == 403
    assert login(principal).post(remove).status_code == 302 and not study.rounds.exists()
    assert login(committee_member).get(reverse("records:lesson_study_new")).status_code == 403
    assert (
        study.lesson in login(teacher_user).get(reverse("records:lesson_studies")).content.decode()
    )
    assert (
        study.lesson not in login(outsider).get(reverse("records:lesson_studies")).content.decode()
    )


def test_the_page_makes_the_same_number_of_queries_with_more_rounds(
    login, school, principal, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_with(n):
        study = _study(school, principal, LessonStudy.Kind.SAME_LESSON)
        for _i in range(n):
            lesson = OpenClassFactory(teacher=TeacherFactory(school=school), status="verified")
            _evaluate(lesson, school, 4, 5)
            lesson_study_round_add(study=study, open_class=lesson, by=principal)
        return reverse("records:lesson_study", args=[study.pk])

    client = login(principal)
    few = page_with(2)
    client.get(few)
    with CaptureQueriesContext(connection) as ctx:
        client.get(few)
    many = page_with(8)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        assert client.get(many).status_code == 200


def test_a_teacher_starts_a_lesson_study_in_the_browser_form(login, school, teacher_user):
    client = login(teacher_user)
    assert client.get(reverse("records:lesson_study_new")).status_code == 200
    data = {"school": school.pk, "kind": "same_lesson", "lesson": "《观潮》", "subject": "语文"}
    response = client.post(reverse("records:lesson_study_new"), data)
    study = LessonStudy.objects.get()
    assert response.status_code == 302 and study.created_by == teacher_user
