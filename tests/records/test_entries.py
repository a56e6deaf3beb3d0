import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.models import Role, RoleAssignment
from records.models import (
    Kind,
    Lecture,
    Observation,
    OpenClass,
    Paper,
    Record,
    ResearchProject,
    SelfDevelopmentPlan,
    Status,
    StudyTrip,
    Training,
)
from records.selectors.entries import kind_row
from records.services.workflow import record_return, record_submit, record_verify
from tests.factories import (
    OpenClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    TeacherFactory,
    TrainingFactory,
    user_with_role,
)


@pytest.fixture
def en(client):
    """Pages in English, so the tests read the source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def author(teacher_user, en):
    return teacher_user


@pytest.fixture
def colleague(school):
    return TeacherFactory(school=school, name="王芳", subject="数学")


@pytest.fixture
def calendar(school):
    return SchoolYearFactory(district=school.district, start_year=2025)


def new_url(kind):
    return reverse("records:new", args=[kind])


# kind -> (the form as first posted, a change, how to read the change back)
def kind_data(colleague):
    return {
        Kind.OPEN_CLASS: (
            {
                "class_kind": "demonstration", "level": "1", "starts_at": "2025-11-05T09:00",
                "place": "三楼录播教室", "subject": "语文", "grade_class": "四年级（2）班",
                "topic": "《落花生》",
            },
            {"topic": "《落花生》第二课时"},
            lambda r: r.topic == "《落花生》第二课时" and r.title == r.topic,
        ),
        Kind.OBSERVATION: (
            {
                "date": "2025-10-20", "observed_teacher": colleague.pk, "subject": "数学",
                "class_name": "三年级（1）班", "rating": "4", "notes": "导入自然。",
            },
            {"rating": "5"},
            lambda r: r.rating == 5 and r.title == "王芳 · 数学",
        ),
        Kind.PAPER: (
            {
                "paper_title": "小学语文分层作业设计探究", "result_kind": "paper",
                "date": "2025-10-10", "progress": "written",
            },
            {"progress": "awarded", "award_level": "2", "prize": "first"},
            lambda r: r.progress == "awarded" and r.award_level == 2,
        ),
        Kind.PROJECT: (
            {
                "project_title": "小学语文作业设计的实践研究", "level": "2", "role": "leader",
                "stage": "approved", "date": "2025-09-20", "approved_on": "2025-09-20",
                "members": [colleague.pk],
            },
            {"stage": "midterm", "midterm_on": "2025-12-20"},
            lambda r: r.stage == "midterm" and list(r.members.all()) == [colleague],
        ),
        Kind.LECTURE: (
            {"topic": "如何上好一节家常课", "audience": "whole_staff", "date": "2025-10-12",
             "attendees": "60"},
            {"attendees": "80"},
            lambda r: r.attendees == 80,
        ),
        Kind.TRAINING: (
            {"course": "校本培训：新课标解读", "organiser_level": "1", "date": "2025-10-15",
             "end_date": "2025-10-16", "hours": "6", "school_based": "on"},
            {"hours": "7.5"},
            lambda r: r.hours == Decimal("7.5") and r.school_based,
        ),
        Kind.READING: (
            {"book": "《给教师的建议》", "date": "2025-10", "reflection": "把学生放在课堂中央。"},
            {"reflection": "多等待，少提问。"},
            lambda r: r.reflection == "多等待，少提问。" and r.date == datetime.date(2025, 10, 1),
        ),
        Kind.REFLECTION: (
            {"lesson": "《落花生》第二课时", "date": "2025-10-20", "reflection": "提问太密。"},
            {"reflection": "留白不够，下次少问多等。"},
            lambda r: r.reflection == "留白不够，下次少问多等。" and r.title == r.lesson,
        ),
        Kind.STUDY_TRIP: (
            {"destination": "杭州市天长小学", "purpose": "观摩研讨", "date": "2025-11-10",
             "end_date": "2025-11-12"},
            {"report": "听了八节课。"},
            lambda r: r.report == "听了八节课。",
        ),
        Kind.PLAN: (
            {"first_year": "2025", "last_year": "2027", "review": "回顾", "self_assessment": "自评",
             "long_term_goals": "长期", "short_term_goals": "短期", "measures": "措施"},
            {"measures": "每周听课两节"},
            lambda r: r.measures == "每周听课两节" and r.title == "2025–2026 – 2027–2028",
        ),
    }  # fmt: skip


@pytest.mark.parametrize("kind", Kind.values)
def test_each_kind_is_created_edited_submitted_and_locked_once_verified(
    kind, login, author, training_office, colleague, calendar
):
    created, change, changed = kind_data(colleague)[kind]
    client = login(author)
    assert client.get(new_url(kind)).status_code == 200

    response = client.post(new_url(kind), {**created, "save": "1"})
    record = Record.objects.get(teacher__user=author)
    assert response.status_code == 302
    assert response["Location"] == reverse("records:detail", args=[record.pk])
    assert record.kind == kind and record.status == Status.DRAFT
    assert record.title and record.title != str(kind_row(record)._meta.verbose_name)
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and record.title in detail.content.decode()

    edit = reverse("records:edit", args=[record.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {**created, **change, "save": "1"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert changed(kind_row(record))
    assert record.audit_entries.filter(action="updated").exists()

    record_submit(record=record, by=author)
    assert client.get(edit).status_code == 403
    record_return(record=record, by=training_office, reason="请补充。")
    assert client.get(edit).status_code == 200
    record_submit(record=record, by=author)
    record_verify(record=record, by=training_office)
    assert client.get(edit).status_code == 403
    response = client.post(edit, {**created, "save": "1"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == Status.VERIFIED and changed(kind_row(record))


def test_the_school_year_and_semester_come_from_the_date(login, author, calendar):
    data = {"course": "区级培训", "organiser_level": "2", "date": "2026-03-02", "hours": "6"}
    login(author).post(new_url(Kind.TRAINING), data)
    record = Training.objects.get()
    assert (record.year, record.semester) == (2025, 2)


def test_an_open_class_takes_its_date_from_its_start(login, author):
    data = {
        "class_kind": "research", "level": "2", "starts_at": "2026-09-01T08:30",
        "place": "报告厅", "subject": "语文", "grade_class": "五（1）班", "topic": "《将相和》",
    }  # fmt: skip
    login(author).post(new_url(Kind.OPEN_CLASS), data)
    record = OpenClass.objects.get()
    assert record.date == datetime.date(2026, 9, 1) and record.year == 2026


def test_save_and_submit_lands_on_the_detail_page_awaiting_verification(login, author):
    data = {"topic": "作业设计", "audience": "grade_group", "date": "2025-10-12"}
    response = login(author).post(new_url(Kind.LECTURE), {**data, "save_submit": "1"}, follow=True)
    record = Lecture.objects.get()
    assert record.status == Status.SUBMITTED
    assert response.redirect_chain[-1][0] == reverse("records:detail", args=[record.pk])
    assert "Saved and submitted for verification." in response.content.decode()


def test_new_forms_default_to_today_own_subject_and_school_level(login, author):
    client = login(author)
    teacher = author.teacher
    form = client.get(new_url(Kind.OPEN_CLASS)).context["form"]
    assert form["subject"].value() == teacher.subject
    assert form["level"].value() == 1
    form = client.get(new_url(Kind.OBSERVATION)).context["form"]
    assert form["subject"].value() == teacher.subject
    assert form["date"].value() == timezone.localdate()


def test_the_observed_teacher_is_chosen_from_the_own_school(login, author, colleague, other_school):
    stranger = TeacherFactory(school=other_school, name="外校老师")
    form = login(author).get(new_url(Kind.OBSERVATION)).context["form"]
    choices = set(form.fields["observed_teacher"].queryset)
    assert colleague in choices and stranger not in choices and author.teacher not in choices


def test_a_study_trip_follows_up_only_the_teachers_own_talks_and_classes(login, author, colleague):
    own_class = OpenClassFactory(teacher=author.teacher)
    other_class = OpenClassFactory(teacher=colleague)
    own_training = TrainingFactory(teacher=author.teacher)
    form = login(author).get(new_url(Kind.STUDY_TRIP)).context["form"]
    choices = {r.pk for r in form.fields["follow_up"].queryset}
    assert choices == {own_class.pk}
    assert other_class.pk not in choices and own_training.pk not in choices
    data = {"destination": "上海", "purpose": "观摩", "date": "2025-11-10",
            "end_date": "2025-11-12", "follow_up": other_class.pk}  # fmt: skip
    response = login(author).post(new_url(Kind.STUDY_TRIP), data)
    assert response.status_code == 200 and not StudyTrip.objects.exists()


INVALID = [
    (Kind.TRAINING, {"course": "培训", "organiser_level": "1", "date": "2025-10-15",
                     "hours": "0"}, "hours", "Hours must be more than 0."),
    (Kind.TRAINING, {"course": "培训", "organiser_level": "1", "date": "2025-10-15",
                     "hours": "200.5"}, "hours", "Hours cannot be more than 200."),
    (Kind.TRAINING, {"course": "培训", "organiser_level": "1", "date": "2025-10-15",
                     "end_date": "2025-10-14", "hours": "6"}, "end_date",
     "The end date cannot be before the start date."),
    (Kind.STUDY_TRIP, {"destination": "上海", "purpose": "观摩", "date": "2025-11-10",
                       "end_date": "2025-11-09"}, "end_date",
     "The end date cannot be before the start date."),
    (Kind.PAPER, {"paper_title": "论文", "result_kind": "paper", "date": "2025-10-10",
                  "progress": "awarded"}, "award_level", "Give the level of the award."),
    (Kind.PLAN, {"first_year": "2026", "last_year": "2025", "review": "a",
                 "self_assessment": "b", "long_term_goals": "c", "short_term_goals": "d",
                 "measures": "e"}, "last_year", "The term cannot end before it starts."),
    (Kind.OBSERVATION, {"date": "2025-10-20", "subject": "语文"}, "observed_teacher",
     "Choose the observed teacher, or type the name of a teacher outside the school."),
    (Kind.PROJECT, {"project_title": "课题", "level": "2", "role": "leader",
                    "stage": "concluded", "date": "2025-09-20", "approved_on": "2025-09-20",
                    "concluded_on": "2025-09-01"}, "concluded_on",
     "The conclusion cannot be before the approval."),
    (Kind.OPEN_CLASS, {"class_kind": "outreach", "level": "1",
                       "starts_at": "2025-11-05T09:00", "place": "报告厅", "subject": "语文",
                       "grade_class": "四（2）班", "topic": "《桂林山水》"}, "host_school",
     "For an outreach class, name the school visited."),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "data", "field", "message"), INVALID)
def test_invalid_input_is_refused_with_a_message(login, author, kind, data, field, message):
    response = login(author).post(new_url(kind), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert not Record.objects.exists()


def test_validation_messages_follow_the_users_language(login, author):
    author.language = "zh-hans"
    author.save(update_fields=["language"])
    data = {"course": "培训", "organiser_level": "1", "date": "2025-10-15", "hours": ""}
    response = login(author).post(new_url(Kind.TRAINING), data)
    assert response.context["form"].errors["hours"] == ["请填写此项。"]


def test_an_observation_of_an_outside_teacher_needs_only_a_name(login, author):
    data = {"date": "2025-10-20", "observed_name": "陈晓燕", "observed_school": "福州市实验小学",
            "subject": "语文"}  # fmt: skip
    login(author).post(new_url(Kind.OBSERVATION), data)
    observation = Observation.objects.get()
    assert observation.title == "陈晓燕 · 语文" and observation.is_outside_school


def test_two_hundred_hours_is_the_upper_limit(login, author):
    data = {"course": "培训", "organiser_level": "1", "date": "2025-10-15", "hours": "200"}
    login(author).post(new_url(Kind.TRAINING), data)
    assert Training.objects.get().hours == 200


def test_unknown_kinds_and_users_without_a_teacher_profile_get_404(login, author, principal):
    assert login(author).get(new_url("diary")).status_code == 404
    assert login(principal).get(new_url(Kind.TRAINING)).status_code == 404


def test_a_teacher_who_left_cannot_log_records(login, author):
    # Still on a committee elsewhere, so the login stays on; leaving ends the roles at school.
    RoleAssignment.objects.create(user=author, role=Role.COMMITTEE, school=SchoolFactory())
    teacher = author.teacher
    teacher.is_active = False
    teacher.save()
    assert login(author).get(new_url(Kind.TRAINING)).status_code == 403


def test_a_teacher_who_left_with_no_role_elsewhere_is_signed_out(login, author):
    teacher = author.teacher
    teacher.is_active = False
    teacher.save()
    response = login(author).get(new_url(Kind.TRAINING))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_detail_page_shows_every_field_of_the_kind(login, author, training_office):
    training = TrainingFactory(
        teacher=author.teacher, course="区级骨干研修", hours=Decimal("12.5"), school_based=True,
        organiser_level=2, end_date=datetime.date(2025, 10, 17),
    )  # fmt: skip
    body = login(author).get(reverse("records:detail", args=[training.pk])).content.decode()
    for label in ("Course or event", "Organiser level", "End date", "Hours", "School-based"):
        assert label in body
    for value in ("区级骨干研修", "District/county level", "2025-10-17", "12.5", "Yes"):
        assert value in body


def test_the_detail_page_lists_project_members_and_links_the_follow_up(login, author, colleague):
    project = ResearchProject.objects.create(
        teacher=author.teacher, date=datetime.date(2025, 9, 20), year=2025,
        project_title="课题", level=2, role="leader", stage="approved",
    )  # fmt: skip
    project.members.set([colleague])
    talk = Lecture.objects.create(
        teacher=author.teacher, date=datetime.date(2025, 11, 20), year=2025, topic="汇报",
        audience="whole_staff",
    )  # fmt: skip
    trip = StudyTrip.objects.create(
        teacher=author.teacher, date=datetime.date(2025, 11, 10), year=2025, destination="上海",
        end_date=datetime.date(2025, 11, 12), purpose="观摩", follow_up=talk,
    )  # fmt: skip
    client = login(author)
    assert "王芳" in client.get(reverse("records:detail", args=[project.pk])).content.decode()
    body = client.get(reverse("records:detail", args=[trip.pk])).content.decode()
    assert reverse("records:detail", args=[talk.pk]) in body


def test_the_detail_page_includes_the_workflow_files_and_history(login, author):
    record = TrainingFactory(teacher=author.teacher)
    response = login(author).get(reverse("records:detail", args=[record.pk]))
    body = response.content.decode()
    assert f'id="workflow-{record.pk}"' in body
    assert f'id="attachments-{record.pk}"' in body
    assert f'id="audit-{record.pk}"' in body
    assert reverse("records:edit", args=[record.pk]) in body
    assert response.context["extra_template"] == ""


# -- who sees what ---------------------------------------------------------------------------


@pytest.fixture
def other_teacher(school):
    user = user_with_role(Role.TEACHER, school=school, username="teacher2")
    TeacherFactory(school=school, user=user, name="赵老师")
    return user


@pytest.fixture
def records_of(other_teacher):
    teacher = other_teacher.teacher
    draft = TrainingFactory(teacher=teacher, course="草稿培训")
    submitted = TrainingFactory(teacher=teacher, course="已提交培训", status=Status.SUBMITTED)
    return {"draft": draft, "submitted": submitted}


def detail(pk):
    return reverse("records:detail", args=[pk])


def test_a_teacher_cannot_see_another_teachers_records(login, author, records_of):
    client = login(author)
    assert client.get(detail(records_of["draft"].pk)).status_code == 404
    assert client.get(detail(records_of["submitted"].pk)).status_code == 404
    assert client.get(reverse("records:edit", args=[records_of["draft"].pk])).status_code == 404


@pytest.mark.parametrize(
    "who", ["training_office", "principal", "committee_member", "district_office"]
)
def test_staff_and_the_district_see_submitted_records_but_not_drafts(
    request, login, en, who, records_of
):
    client = login(request.getfixturevalue(who))
    assert client.get(detail(records_of["submitted"].pk)).status_code == 200
    assert client.get(detail(records_of["draft"].pk)).status_code == 404
    assert client.get(reverse("records:edit", args=[records_of["submitted"].pk])).status_code == 403


def test_the_training_office_sees_the_history_and_the_verify_button(
    login, en, training_office, records_of
):
    body = login(training_office).get(detail(records_of["submitted"].pk)).content.decode()
    assert reverse("records:verify", args=[records_of["submitted"].pk]) in body
    assert f'id="audit-{records_of["submitted"].pk}"' in body


def test_another_schools_staff_gets_404(login, outsider, records_of):
    client = login(outsider)
    assert client.get(detail(records_of["submitted"].pk)).status_code == 404
    assert client.get(reverse("records:edit", args=[records_of["submitted"].pk])).status_code == 404


def test_a_plan_keeps_its_date_when_edited(login, author):
    plan = SelfDevelopmentPlan.objects.create(
        teacher=author.teacher, date=datetime.date(2025, 10, 1), year=2025, first_year=2025,
        last_year=2027, review="a", self_assessment="b", long_term_goals="c",
        short_term_goals="d", measures="e",
    )  # fmt: skip
    data = {"first_year": "2025", "last_year": "2026", "review": "a", "self_assessment": "b",
            "long_term_goals": "c", "short_term_goals": "d", "measures": "e"}  # fmt: skip
    login(author).post(reverse("records:edit", args=[plan.pk]), data)
    plan.refresh_from_db()
    assert plan.last_year == 2026 and plan.date == datetime.date(2025, 10, 1)


def test_a_returned_paper_shows_its_reason_on_the_edit_form(login, author, training_office):
    paper = Paper.objects.create(
        teacher=author.teacher, date=datetime.date(2025, 10, 1), year=2025, paper_title="论文",
        result_kind="paper", status=Status.SUBMITTED,
    )  # fmt: skip
    record_return(record=paper, by=training_office, reason="请补充刊号。")
    body = login(author).get(reverse("records:edit", args=[paper.pk])).content.decode()
    assert "请补充刊号。" in body
