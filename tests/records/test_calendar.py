"""The open-class calendar, observer sign-up and evaluation (评课)."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from records.models import (
    Level,
    Observation,
    OpenClass,
    OpenClassEvaluation,
    OpenClassSignup,
    Status,
)
from tests.factories import OpenClassFactory, SchoolFactory, TeacherFactory, user_with_role

CST = datetime.timezone(datetime.timedelta(hours=8))
CALENDAR = reverse("records:calendar")


def open_class(teacher, *, starts_at=None, status=Status.SUBMITTED, **kwargs) -> OpenClass:
    starts_at = starts_at or timezone.now() + datetime.timedelta(days=3)
    return OpenClassFactory(
        teacher=teacher,
        starts_at=starts_at,
        date=timezone.localtime(starts_at).date(),
        status=status,
        **kwargs,
    )


def at(day: int, month: int = 11, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2025, month, day, hour, 0, tzinfo=CST)


def teacher_at(school, username: str, **kwargs):
    user = user_with_role(Role.TEACHER, school=school, username=username)
    TeacherFactory(school=school, user=user, **kwargs)
    return user


@pytest.fixture
def colleague(school):
    """Another teacher of `school`, with a login, who gives open classes."""
    return teacher_at(school, "colleague", name="王老师")


@pytest.fixture
def neighbour_school(school):
    """Another school of the same district."""
    return SchoolFactory(district=school.district, name="城关第二小学")


def render_panel(record, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "records/kinds/open_class_extra.html", {"record": record}, request=request
    )


# -- the calendar -------------------------------------------------------------------------------
def test_calendar_shows_own_schools_submitted_classes_and_own_drafts_only(
    login, teacher_user, colleague, other_school
):
    open_class(colleague.teacher, starts_at=at(5), topic="《落花生》")
    open_class(colleague.teacher, starts_at=at(6), topic="同事的草稿", status=Status.DRAFT)
    open_class(teacher_user.teacher, starts_at=at(7), topic="我的草稿", status=Status.DRAFT)
    open_class(TeacherFactory(school=other_school), starts_at=at(8), topic="外区的课")
    teacher_user.language = "en"
    teacher_user.save()

    html = login(teacher_user).get(CALENDAR, {"month": "2025-11"}).content.decode()

    assert "《落花生》" in html
    assert "我的草稿" in html and ">Draft</span>" in html
    assert "同事的草稿" not in html
    assert "外区的课" not in html


def test_district_office_sees_every_school_of_its_district_and_no_other(
    login, district_office, colleague, neighbour_school, other_school
):
    open_class(colleague.teacher, starts_at=at(5), topic="本校的课")
    open_class(TeacherFactory(school=neighbour_school), starts_at=at(6), topic="兄弟学校的课")
    open_class(TeacherFactory(school=other_school), starts_at=at(7), topic="外区的课")

    html = login(district_office).get(CALENDAR, {"month": "2025-11"}).content.decode()

    assert "本校的课" in html and "兄弟学校的课" in html
    assert neighbour_school.name in html  # several schools: each entry names its school
    assert "外区的课" not in html


def test_teachers_see_district_level_classes_of_other_schools_of_their_district(
    login, teacher_user, neighbour_school
):
    neighbour = TeacherFactory(school=neighbour_school)
    open_class(neighbour, starts_at=at(5), topic="区级研究课", level=Level.DISTRICT)
    open_class(neighbour, starts_at=at(6), topic="校内公开课", level=Level.SCHOOL)

    html = login(teacher_user).get(CALENDAR, {"month": "2025-11"}).content.decode()

    assert "区级研究课" in html
    assert "校内公开课" not in html


def test_staff_of_another_district_see_none_of_the_schools_classes(login, outsider, colleague):
    oc = open_class(colleague.teacher, starts_at=at(5), topic="本校的课")
    client = login(outsider)

    assert "本校的课" not in client.get(CALENDAR, {"month": "2025-11"}).content.decode()
    assert client.get(reverse("records:calendar_class", args=[oc.pk])).status_code == 404


def test_users_without_any_role_get_404(login, db):
    from tests.factories import UserFactory

    assert login(UserFactory()).get(CALENDAR).status_code == 404


def test_month_navigation_shows_the_chosen_month_and_links_to_its_neighbours(
    login, teacher_user, colleague
):
    open_class(colleague.teacher, starts_at=at(28, month=11), topic="十一月的课")
    open_class(colleague.teacher, starts_at=at(3, month=12), topic="十二月的课")
    client = login(teacher_user)

    november = client.get(CALENDAR, {"month": "2025-11"}).content.decode()
    december = client.get(CALENDAR, {"month": "2025-12", "subject": "语文"}).content.decode()

    assert "十一月的课" in november and "十二月的课" not in november
    assert 'data-month="2025-11"' in november
    assert "month=2025-12" in november and "month=2025-10" in november
    assert "十二月的课" in december and 'data-month="2025-12"' in december
    assert "month=2026-01&amp;subject=" in december  # filters survive navigation


def test_month_navigation_by_htmx_returns_only_the_calendar(login, teacher_user):
    response = login(teacher_user).get(CALENDAR, {"month": "2026-01"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="calendar">')
    assert "<html" not in html
    assert 'data-month="2026-01"' in html


def test_an_invalid_month_falls_back_to_the_current_one(login, teacher_user):
    html = login(teacher_user).get(CALENDAR, {"month": "2025-13"}).content.decode()

    assert f'data-month="{timezone.localdate():%Y-%m}"' in html


def test_calendar_filters_by_subject_and_kind(login, teacher_user, colleague):
    open_class(colleague.teacher, starts_at=at(5), topic="语文示范课", subject="语文")
    open_class(colleague.teacher, starts_at=at(6), topic="数学示范课", subject="数学")
    open_class(
        colleague.teacher,
        starts_at=at(7),
        topic="语文研究课",
        subject="语文",
        class_kind="research",
    )
    client = login(teacher_user)

    by_subject = client.get(CALENDAR, {"month": "2025-11", "subject": "数学"}).content.decode()
    by_kind = client.get(CALENDAR, {"month": "2025-11", "kind": "research"}).content.decode()

    assert "数学示范课" in by_subject and "语文示范课" not in by_subject
    assert "语文研究课" in by_kind and "语文示范课" not in by_kind


def test_each_entry_shows_time_teacher_subject_class_topic_kind_level_and_place(
    login, teacher_user, colleague
):
    open_class(
        colleague.teacher,
        starts_at=at(5, hour=10),
        topic="《桂花雨》",
        grade_class="五年级（3）班",
        place="报告厅",
    )
    teacher_user.language = "en"
    teacher_user.save()

    html = login(teacher_user).get(CALENDAR, {"month": "2025-11"}).content.decode()

    for text in (
        "10:00",
        "王老师",
        "语文",
        "五年级（3）班",
        "《桂花雨》",
        "Demonstration",
        "报告厅",
    ):
        assert text in html
    assert "School level" in html


def test_calendar_queries_stay_constant_as_classes_grow(
    login, teacher_user, colleague, count_queries
):
    client = login(teacher_user)
    for day in range(1, 6):
        open_class(colleague.teacher, starts_at=at(day))
    few = count_queries(client, CALENDAR, {"month": "2025-11"})
    for i in range(25):
        open_class(TeacherFactory(school=colleague.teacher.school), starts_at=at(1 + i % 28))
    many = count_queries(client, CALENDAR, {"month": "2025-11"})

    assert few == many <= 12


# -- sign-up ------------------------------------------------------------------------------------
def test_signing_up_toggles_between_signed_up_and_cancelled(login, teacher_user, colleague):
    oc = open_class(colleague.teacher)
    client = login(teacher_user)
    url = reverse("records:signup", args=[oc.pk])

    client.post(url)
    assert OpenClassSignup.objects.filter(open_class=oc, observer=teacher_user.teacher).exists()
    client.post(url)
    assert not OpenClassSignup.objects.filter(open_class=oc).exists()


def test_pressing_sign_up_twice_keeps_one_sign_up(login, teacher_user, colleague):
    oc = open_class(colleague.teacher)
    client = login(teacher_user)
    url = reverse("records:signup", args=[oc.pk])

    client.post(url, {"action": "join"})
    response = client.post(url, {"action": "join"})

    assert response.status_code == 302
    assert OpenClassSignup.objects.filter(open_class=oc).count() == 1


def test_sign_up_is_refused_for_ones_own_class(login, colleague):
    oc = open_class(colleague.teacher)
    colleague.language = "en"
    colleague.save()

    response = login(colleague).post(reverse("records:signup", args=[oc.pk]), follow=True)

    assert not OpenClassSignup.objects.exists()
    assert "You cannot sign up to observe your own class." in response.content.decode()


def test_sign_up_and_cancelling_are_refused_once_the_class_has_started(
    login, teacher_user, colleague
):
    oc = open_class(colleague.teacher, starts_at=timezone.now() + datetime.timedelta(days=1))
    OpenClassSignup.objects.create(open_class=oc, observer=teacher_user.teacher)
    OpenClass.objects.filter(pk=oc.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    late = open_class(colleague.teacher, starts_at=timezone.now() - datetime.timedelta(hours=1))
    client = login(teacher_user)

    client.post(reverse("records:signup", args=[oc.pk]), {"action": "cancel"})
    client.post(reverse("records:signup", args=[late.pk]), {"action": "join"})

    assert OpenClassSignup.objects.filter(open_class=oc).exists()
    assert not OpenClassSignup.objects.filter(open_class=late).exists()


def test_sign_up_is_not_possible_for_a_draft(login, colleague, teacher_user):
    draft = open_class(colleague.teacher, status=Status.DRAFT)

    response = login(teacher_user).post(reverse("records:signup", args=[draft.pk]))

    assert response.status_code == 404


def test_teachers_of_the_district_sign_up_for_district_level_classes_only(
    login, school, neighbour_school
):
    guest = teacher_at(neighbour_school, "guest")
    host = TeacherFactory(school=school)
    district_class = open_class(host, level=Level.DISTRICT)
    school_class = open_class(host, level=Level.SCHOOL)
    client = login(guest)

    client.post(reverse("records:signup", args=[district_class.pk]))
    response = client.post(reverse("records:signup", args=[school_class.pk]))

    assert OpenClassSignup.objects.filter(open_class=district_class).count() == 1
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["principal", "district_office"])
def test_staff_without_a_teacher_profile_cannot_sign_up(request, login, colleague, role):
    oc = open_class(colleague.teacher)
    user = request.getfixturevalue(role)

    response = login(user).post(reverse("records:signup", args=[oc.pk]))

    assert response.status_code == 403
    assert not OpenClassSignup.objects.exists()


def test_outsiders_get_404_on_sign_up(login, outsider, colleague):
    oc = open_class(colleague.teacher)

    assert login(outsider).post(reverse("records:signup", args=[oc.pk])).status_code == 404


def test_sign_up_by_htmx_returns_the_panel_with_the_observer_listed(login, teacher_user, colleague):
    oc = open_class(colleague.teacher)

    response = login(teacher_user).post(
        reverse("records:signup", args=[oc.pk]), HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="open-class-panel"')
    assert "李老师" in html
    assert 'value="cancel"' in html


def test_the_class_page_lists_the_signed_up_observers(login, principal, teacher_user, colleague):
    oc = open_class(colleague.teacher, topic="《草船借箭》")
    OpenClassSignup.objects.create(open_class=oc, observer=teacher_user.teacher)

    html = login(principal).get(reverse("records:calendar_class", args=[oc.pk])).content.decode()

    assert "《草船借箭》" in html
    assert "李老师" in html


# -- evaluation (评课) ----------------------------------------------------------------------------
RATINGS = {"design": 5, "delivery": 4, "engagement": 4, "effect": 3, "comments": "层次清楚"}


def started_class(teacher, **kwargs) -> OpenClass:
    return open_class(teacher, starts_at=timezone.now() - datetime.timedelta(hours=2), **kwargs)


def test_an_attendee_evaluates_the_class_after_it_starts(login, teacher_user, colleague):
    oc = started_class(colleague.teacher)

    response = login(teacher_user).post(reverse("records:evaluate", args=[oc.pk]), RATINGS)

    evaluation = OpenClassEvaluation.objects.get(open_class=oc)
    assert response.status_code == 302
    assert evaluation.observer == teacher_user.teacher
    assert (evaluation.design, evaluation.effect, evaluation.comments) == (5, 3, "层次清楚")


def test_evaluation_is_refused_before_the_class_starts(login, teacher_user, colleague):
    oc = open_class(colleague.teacher)
    client = login(teacher_user)

    response = client.post(reverse("records:evaluate", args=[oc.pk]), RATINGS)

    assert response.status_code == 200
    assert not OpenClassEvaluation.objects.exists()
    assert 'id="evaluation-refusal"' in response.content.decode()


def test_only_attendees_evaluate(login, school, neighbour_school, colleague):
    oc = started_class(colleague.teacher, level=Level.DISTRICT)
    signed_up, stranger = teacher_at(neighbour_school, "g1"), teacher_at(neighbour_school, "g2")
    OpenClassSignup.objects.create(open_class=oc, observer=signed_up.teacher)
    url = reverse("records:evaluate", args=[oc.pk])

    assert login(stranger).post(url, RATINGS).status_code == 403
    assert login(colleague).post(url, RATINGS).status_code == 403  # the class's own teacher
    assert login(signed_up).post(url, RATINGS).status_code == 302
    assert list(OpenClassEvaluation.objects.values_list("observer__user", flat=True)) == [
        signed_up.pk
    ]


def test_an_observer_evaluates_once_and_may_change_it(login, teacher_user, colleague):
    oc = started_class(colleague.teacher)
    client = login(teacher_user)
    url = reverse("records:evaluate", args=[oc.pk])

    client.post(url, RATINGS)
    client.post(url, {**RATINGS, "effect": 5, "comments": "改：效果很好"})

    evaluation = OpenClassEvaluation.objects.get()
    assert (evaluation.effect, evaluation.comments) == (5, "改：效果很好")
    page = client.get(url).content.decode()
    assert 'value="5" checked' in page or "checked" in page


def test_a_rating_outside_one_to_five_is_refused(login, teacher_user, colleague):
    oc = started_class(colleague.teacher)

    response = login(teacher_user).post(
        reverse("records:evaluate", args=[oc.pk]), {**RATINGS, "design": 7}
    )

    assert response.status_code == 200
    assert not OpenClassEvaluation.objects.exists()


def test_the_teacher_of_the_class_sees_all_evaluations_with_averages(
    login, school, colleague, principal
):
    oc = started_class(colleague.teacher)
    for n, (design, effect) in enumerate([(5, 4), (4, 3), (3, 2)]):
        observer = TeacherFactory(school=school, name=f"观课人{n}")
        OpenClassEvaluation.objects.create(
            open_class=oc, observer=observer, design=design, delivery=4, engagement=4,
            effect=effect, comments=f"评语{n}",
        )  # fmt: skip

    html = render_panel(oc, colleague)

    assert all(f"评语{n}" in html for n in range(3))
    assert 'data-criterion="design">4.0<' in html
    assert 'data-criterion="effect">3.0<' in html
    assert 'data-criterion="overall">3.75<' in html
    assert "评语0" in render_panel(oc, principal)  # and the school's staff


def test_observers_read_only_their_own_evaluation(school, teacher_user, colleague):
    oc = started_class(colleague.teacher)
    other = TeacherFactory(school=school)
    OpenClassEvaluation.objects.create(
        open_class=oc, observer=other, design=3, delivery=3, engagement=3, effect=3,
        comments="别人的评语",
    )  # fmt: skip
    OpenClassEvaluation.objects.create(
        open_class=oc, observer=teacher_user.teacher, design=4, delivery=4, engagement=4,
        effect=4, comments="我的评语",
    )  # fmt: skip

    html = render_panel(oc, teacher_user)

    assert "我的评语" in html
    assert "别人的评语" not in html
    assert 'id="evaluations"' not in html


def test_evaluating_can_log_the_class_as_my_observation_once(login, teacher_user, colleague):
    oc = started_class(colleague.teacher, grade_class="四年级（1）班")
    client = login(teacher_user)
    url = reverse("records:evaluate", args=[oc.pk])

    client.post(url, {**RATINGS, "log_observation": "on"})
    client.post(url, {**RATINGS, "log_observation": "on"})

    observation = Observation.objects.get()
    assert observation.teacher == teacher_user.teacher
    assert observation.open_class_id == oc.pk
    assert observation.observed_teacher == colleague.teacher
    assert observation.status == Status.DRAFT
    assert (observation.class_name, observation.rating) == ("四年级（1）班", 4)
    assert observation.audit_entries.filter(action="created", actor=teacher_user).exists()


def test_the_panel_offers_the_evaluation_form_to_attendees_after_the_class(teacher_user, colleague):
    before, after = open_class(colleague.teacher), started_class(colleague.teacher)

    assert 'id="evaluation-form"' not in render_panel(before, teacher_user)
    assert 'id="evaluation-form"' in render_panel(after, teacher_user)
    assert 'id="evaluation-form"' not in render_panel(after, colleague)


def test_the_record_page_of_an_open_class_shows_observers_and_evaluations(
    login, school, colleague, teacher_user
):
    oc = started_class(colleague.teacher)
    OpenClassSignup.objects.create(open_class=oc, observer=teacher_user.teacher)
    OpenClassEvaluation.objects.create(
        open_class=oc, observer=teacher_user.teacher, design=5, delivery=5, engagement=4,
        effect=4, comments="课堂氛围好",
    )  # fmt: skip

    html = login(colleague).get(reverse("records:detail", args=[oc.pk])).content.decode()

    assert 'id="open-class-panel"' in html
    assert "李老师" in html and "课堂氛围好" in html
    assert 'data-criterion="overall">4.50<' in html


def test_the_evaluation_service_refuses_before_the_class_starts(teacher_user, colleague):
    from django.core.exceptions import ValidationError

    from records.services.calendar import evaluation_save

    oc = open_class(colleague.teacher)
    ratings = {k: v for k, v in RATINGS.items() if k != "comments"}

    with pytest.raises(ValidationError):
        evaluation_save(open_class=oc, by=teacher_user, comments="太早", **ratings)
    assert not OpenClassEvaluation.objects.exists()
