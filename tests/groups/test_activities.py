"""The semester plan and its activities: weeks map to the district's semester, an activity's
attendance is the training register (the head ticks it, the QR sign-in and the hours ledger
work unchanged), and the plan shows what was planned against what was held."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import User
from groups.models import GroupSettings, PlannedWeek
from groups.services import planning
from records.models import Training
from tests.factories import TeacherFactory
from training import ledger, signin
from training.models import Programme

from .conftest import TODAY, activity_today


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_a_plan_opens_the_groups_programme_with_its_members_enrolled(world, plan):
    programme = plan.programme
    assert programme.kind == Programme.Kind.GROUP_ACTIVITY
    assert programme.group == world.group
    assert (programme.start_date, programme.end_date) == (
        world.semester.start_date, world.semester.end_date,
    )  # fmt: skip
    enrolled = set(programme.enrolments.values_list("teacher__name", flat=True))
    assert enrolled == {"周组长", "钱老师", "孙老师"}


def test_weeks_fall_on_the_groups_weekday_from_the_semester_start(plan):
    start = plan.semester.start_date
    first_monday = start - datetime.timedelta(days=start.weekday())
    assert plan.date_of_week(1) == first_monday + datetime.timedelta(days=1)  # a Tuesday
    assert plan.date_of_week(3) == plan.date_of_week(1) + datetime.timedelta(weeks=2)
    with pytest.raises(ValidationError):
        planning.week_set(plan=plan, week=plan.week_count + 1, theme="x", kind="study",
                          by=fresh(plan.group.heads.get()))  # fmt: skip


def test_replanning_a_week_changes_it_in_place(world, plan):
    head = fresh(world.head_user)
    planning.week_set(
        plan=plan, week=3, theme="集体备课：第三单元", kind="collective_prep", by=head
    )
    planning.week_set(plan=plan, week=3, theme="说课：《草船借箭》", kind="presentation", by=head)
    assert list(plan.weeks.values_list("week", "kind")) == [(3, "presentation")]


def test_only_the_head_or_the_managers_plan_and_run_the_group(world, plan, principal):
    for user in (world.other_head.user, world.members[1].user, world.plain.user):
        with pytest.raises(PermissionDenied):
            planning.week_set(plan=plan, week=1, theme="计划", kind="planning", by=fresh(user))
    planning.week_set(plan=plan, week=1, theme="计划", kind="planning", by=fresh(principal))


def test_the_head_takes_the_register_of_an_activity_and_hours_are_credited(world, plan, login):
    activity = activity_today(plan, fresh(world.head_user))
    session = activity.session
    assert session.is_published
    client = login(world.head_user)
    member = world.members[1]
    response = client.post(
        reverse("training:register", args=[session.pk]), {"teacher": member.pk, "status": "present"}
    )
    assert response.status_code == 302
    credit = Training.objects.get(teacher=member, source=session.source_key)
    assert credit.hours == GroupSettings().activity_hours
    assert credit.school_based is False  # the school has not said so
    assert client.get(reverse("training:projector", args=[session.pk])).status_code == 200
    other = login(world.other_head.user)
    assert other.get(reverse("training:projector", args=[session.pk])).status_code == 404
    assert (
        other.post(
            reverse("training:register", args=[session.pk]),
            {"teacher": world.members[2].pk, "status": "present"},
        ).status_code
        == 404
    )


def test_where_the_school_says_so_activity_hours_are_school_based(world, principal):
    GroupSettings.objects.create(school=world.school, hours_school_based=True)
    plan = planning.plan_create(
        group=world.group, semester=world.semester, weekday=3, starts_at=datetime.time(14),
        ends_at=datetime.time(15), place="会议室", by=fresh(principal),
    )  # fmt: skip
    activity = activity_today(plan, fresh(world.head_user))
    teacher = world.members[2]
    at = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(15, 31)))
    signin.sign_in(session=activity.session, teacher=teacher, by=teacher.user, now=at)
    assert Training.objects.get(teacher=teacher).school_based is True


def test_the_plan_shows_planned_against_held(world, plan, login):
    head = fresh(world.head_user)
    this_week = plan.week_of(TODAY)
    planning.week_set(plan=plan, week=this_week, theme="整本书阅读", kind="seminar", by=head)
    week = PlannedWeek.objects.get(plan=plan, week=this_week)
    if this_week > 1:
        planning.week_set(plan=plan, week=1, theme="学期计划", kind="planning", by=head)
    activity = activity_today(plan, head, week=week)
    ledger.register_mark(
        session=activity.session, teacher=world.members[1], status="present", by=head
    )
    reader = world.members[1].user
    reader.language = "en"
    reader.save()
    page = login(reader).get(reverse("groups:plan", args=[plan.pk])).content.decode()
    assert "整本书阅读教学研讨" in page
    assert "1 present" in page
    if this_week > 1:
        assert "not held" in page


def test_a_week_gets_one_activity(world, plan):
    head = fresh(world.head_user)
    week = planning.week_set(plan=plan, week=plan.week_of(TODAY), theme="研讨", kind="seminar",
                             by=head)  # fmt: skip
    activity_today(plan, head, week=week)
    with pytest.raises(ValidationError):
        activity_today(plan, head, week=week)


def test_minutes_wait_for_the_activity_and_files_are_checked(world, plan):
    head = fresh(world.head_user)
    later = activity_today(plan, head, date=TODAY + datetime.timedelta(days=1))
    if later.session.date <= plan.semester.end_date:
        with pytest.raises(ValidationError):
            planning.activity_minutes_save(activity=later, minutes="记录", follow_up="", by=head)
    activity = activity_today(plan, head)
    planning.activity_minutes_save(
        activity=activity, minutes="大家交流了做法", follow_up="", by=head
    )
    fake = SimpleUploadedFile("课件.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError):
        planning.activity_file_add(activity=activity, upload=fake, by=head)


def test_activity_pages_for_the_head_a_member_and_strangers(
    world, plan, principal, committee_member, outsider, login
):
    head = fresh(world.head_user)
    activity = activity_today(plan, head)
    page = reverse("groups:activity", args=[activity.pk])
    edit = reverse("groups:activity_edit", args=[activity.pk])
    minutes = reverse("groups:activity_minutes", args=[activity.pk])
    for user in (world.head_user, principal):
        assert login(user).get(edit).status_code == 200
    for user in (world.members[1].user, committee_member):
        assert login(user).get(page).status_code == 200
        assert login(user).get(edit).status_code == 403
        assert login(user).post(minutes, {"minutes": "篡改"}).status_code == 403
    for user in (world.other_head.user, world.plain.user, outsider):
        assert login(user).get(page).status_code == 404
        assert login(user).post(minutes, {"minutes": "篡改"}).status_code == 404
    activity.refresh_from_db()
    assert activity.minutes == ""
    response = login(world.head_user).post(
        minutes, {"minutes": "讨论了阅读单设计", "follow_up": ""}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.minutes == "讨论了阅读单设计"


def test_the_plan_page_costs_the_same_with_more_weeks_and_activities(
    world, plan, login, count_queries
):
    head = fresh(world.head_user)
    client = login(world.head_user)
    url = reverse("groups:plan", args=[plan.pk])
    activity_today(plan, head)
    before = count_queries(client, url)
    for n in range(1, 12):
        planning.week_set(plan=plan, week=n, theme=f"第{n}周", kind="study", by=head)
        activity_today(plan, head, theme=f"活动{n}")
        TeacherFactory(school=world.school, group=world.group)
    assert count_queries(client, url) == before
    assert before <= 20
