"""Posts held with dates and the title history: the office keeps them, the teacher's page
shows them, Teacher.posts and Teacher.title follow them, and the overview counts the young
teachers holding posts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Role
from teachers import services
from teachers.models import Post, Teacher, Title
from tests.factories import SchoolFactory, TeacherFactory, user_with_role

TODAY = Teacher.today()
D = datetime.date


@pytest.fixture
def young(school):
    return TeacherFactory(
        school=school,
        name="陈晨",
        birth_date=TODAY.replace(year=TODAY.year - 26),
        career_start=TODAY.replace(year=TODAY.year - 2),
        title=Title.NONE,
    )


def test_a_post_held_today_is_among_the_teachers_posts_and_ending_it_removes_it(young):
    held = services.post_held_add(
        teacher=young, post=Post.CLASS_TEACHER, started_on=TODAY - datetime.timedelta(days=40)
    )
    services.post_held_add(
        teacher=young, post=Post.GROUP_HEAD, started_on=D(2020, 9, 1), ended_on=D(2021, 7, 1)
    )
    young.refresh_from_db()
    assert young.posts == [Post.CLASS_TEACHER]
    services.post_held_end(held=held, ended_on=TODAY - datetime.timedelta(days=1))
    young.refresh_from_db()
    assert young.posts == []
    # A second click on "end" changes nothing.
    services.post_held_end(held=held, ended_on=TODAY)
    held.refresh_from_db()
    assert held.ended_on == TODAY - datetime.timedelta(days=1)


def test_the_same_post_cannot_be_held_twice_at_once_nor_end_before_it_starts(young):
    services.post_held_add(teacher=young, post=Post.CLASS_TEACHER, started_on=D(2024, 9, 1))
    with pytest.raises(ValidationError):
        services.post_held_add(teacher=young, post=Post.CLASS_TEACHER, started_on=D(2025, 2, 1))
    with pytest.raises(ValidationError):
        services.post_held_add(
            teacher=young, post=Post.GRADE_HEAD, started_on=D(2025, 2, 1), ended_on=D(2025, 1, 1)
        )
    assert young.posts_held.count() == 1


def test_the_current_title_is_the_latest_awarded_and_follows_a_removal(young):
    services.title_award_add(teacher=young, title=Title.SECOND, awarded_on=D(2021, 12, 1))
    first = services.title_award_add(teacher=young, title=Title.FIRST, awarded_on=D(2025, 12, 1))
    young.refresh_from_db()
    assert young.title == Title.FIRST
    services.title_award_remove(award=first)
    young.refresh_from_db()
    assert young.title == Title.SECOND
    assert [a.title for a in young.title_awards.all()] == [Title.SECOND]


def test_the_office_adds_a_post_and_a_title_on_the_teachers_page(login, training_office, young):
    client = login(training_office)
    url = reverse("teachers:career", args=[young.pk])
    response = client.post(
        url, {"form": "post", "post-post": "class_teacher", "post-started_on": "2025-09-01"}
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "form": "title",
            "title-title": Title.SECOND,
            "title-awarded_on": "2024-12-20",
            "title-note": "证书2024-118",
        },
    )
    assert response.status_code == 302
    young.refresh_from_db()
    assert young.title == Title.SECOND and young.posts == ["class_teacher"]
    page = client.get(reverse("teachers:detail", args=[young.pk])).content.decode()
    assert "班主任" in page and "2025-09-01" in page and "二级教师" in page and "2024-12-20" in page
    # The edit form now leaves the title and posts to the history.
    form = client.get(reverse("teachers:edit", args=[young.pk])).context["form"]
    assert form.fields["title"].disabled and form.fields["posts"].disabled


def test_a_post_ending_before_it_starts_is_refused_on_the_form(login, training_office, young):
    client = login(training_office)
    url = reverse("teachers:career", args=[young.pk])
    response = client.post(
        url,
        {
            "form": "post",
            "post-post": "grade_head",
            "post-started_on": "2025-09-01",
            "post-ended_on": "2025-01-01",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "A post cannot end before it starts." in response.content.decode()
    assert not young.posts_held.exists()


def test_the_teacher_sees_their_posts_but_cannot_change_them(login, school, young):
    user = user_with_role(Role.TEACHER, school=school, username="chen")
    young.user = user
    young.save()
    services.post_held_add(teacher=young, post=Post.CLASS_TEACHER, started_on=D(2025, 9, 1))
    client = login(user)
    page = client.get(reverse("teachers:detail", args=[young.pk])).content.decode()
    assert "班主任" in page
    assert reverse("teachers:career", args=[young.pk]) not in page
    assert client.get(reverse("teachers:career", args=[young.pk])).status_code == 403


def test_another_school_cannot_reach_the_posts(login, outsider, young):
    held = services.post_held_add(teacher=young, post=Post.CLASS_TEACHER, started_on=D(2025, 9, 1))
    client = login(outsider)
    assert client.get(reverse("teachers:career", args=[young.pk])).status_code == 404
    response = client.post(reverse("teachers:post_remove", args=[held.pk]))
    assert response.status_code == 404
    assert young.posts_held.count() == 1


def _young(school, *, years, post_after_years=None, post=Post.CLASS_TEACHER, ended=False):
    teacher = TeacherFactory(
        school=school,
        birth_date=TODAY.replace(year=TODAY.year - 28),
        career_start=TODAY.replace(year=TODAY.year - years) - datetime.timedelta(days=10),
    )
    if post_after_years is not None:
        start = teacher.career_start.replace(year=teacher.career_start.year + post_after_years)
        services.post_held_add(
            teacher=teacher,
            post=post,
            started_on=start,
            ended_on=TODAY - datetime.timedelta(days=1) if ended else None,
        )
    return teacher


def test_the_overview_counts_young_teachers_holding_posts_per_school(
    login, district_office, school
):
    second = SchoolFactory(code="A002", name="城关第二小学", district=school.district)
    _young(school, years=4, post_after_years=1)  # an early post, held today
    _young(school, years=6, post_after_years=5, post=Post.GROUP_HEAD)  # a late one
    _young(school, years=3, post_after_years=0, ended=True)  # early, ended: not holding
    _young(school, years=2)  # no post
    TeacherFactory(school=school, birth_date=D(1970, 1, 1))  # not young
    services.post_held_add(
        teacher=_young(second, years=1), post=Post.CLASS_TEACHER, started_on=TODAY
    )
    page = login(district_office).get(reverse("teachers:posts_overview"))
    rows = {row.school.name: row for row in page.context["overview"]}
    first = rows["城关第一小学"]
    assert (first.young, first.holding, first.early) == (4, 2, 2)
    assert first.by_post == {"class_teacher": 1, "group_head": 1}
    assert (rows["城关第二小学"].young, rows["城关第二小学"].holding) == (1, 1)


def test_the_overview_shows_a_school_only_its_own_in_english(
    login, principal, school, other_school
):
    _young(school, years=4, post_after_years=1)
    _young(other_school, years=4, post_after_years=1)
    response = login(principal).get(reverse("teachers:posts_overview"), HTTP_ACCEPT_LANGUAGE="en")
    assert [row.school for row in response.context["overview"]] == [school]
    assert "Young teachers holding posts" in response.content.decode()


def test_the_overview_counts_in_a_constant_number_of_queries(
    login, district_office, school, django_assert_max_num_queries
):
    client = login(district_office)
    url = reverse("teachers:posts_overview")
    for _ in range(3):
        _young(school, years=4, post_after_years=1)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(20):
        _young(school, years=4, post_after_years=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_teachers_and_outsiders_get_no_overview(login, teacher_user):
    assert login(teacher_user).get(reverse("teachers:posts_overview")).status_code == 404
