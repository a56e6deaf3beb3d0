"""A group's year in the yearly review: activities held against planned, attendance, units
agreed and the teaching designs they produced, counted in a fixed number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import TeachingGroup, User
from documents.yearly import yearly_report
from groups.services import planning, preparation
from training import ledger

from .conftest import TODAY, YEAR, activity_today


def fresh(user):
    return User.objects.get(pk=user.pk)


def _a_year_of_work(world, plan):
    head = fresh(world.head_user)
    week = planning.week_set(plan=plan, week=plan.week_of(TODAY), theme="研讨", kind="seminar",
                             by=head)  # fmt: skip
    planning.week_set(plan=plan, week=plan.week_count, theme="学期总结", kind="summary", by=head)
    activity = activity_today(plan, head, week=week)
    for teacher in world.members[:2]:
        ledger.register_mark(session=activity.session, teacher=teacher, status="present", by=head)
    planning.activity_minutes_save(activity=activity, minutes="记录", follow_up="", by=head)
    unit = preparation.unit_create(plan=plan, title="第一单元", main_preparer=world.members[1],
                                   activity=activity, by=head)  # fmt: skip
    preparation.unit_draft_save(unit=unit, draft="初稿", by=fresh(world.members[1].user))
    preparation.unit_agree(unit=unit, common_plan="", by=head)
    preparation.adaptation_save(unit=unit, class_name="一班", text="个案", taught_on=TODAY,
                                reflection="反思", by=fresh(world.members[2].user))  # fmt: skip


def test_the_yearly_review_shows_what_each_group_did(world, plan):
    _a_year_of_work(world, plan)
    [row] = yearly_report(year=YEAR, school=world.school).group_rows()
    assert row["group"] == "语文组"
    assert (row["planned"], row["held_as_planned"], row["held"]) == (2, 1, 1)
    assert row["attendance_rate"] == 67  # 2 of the 3 members
    assert (row["units"], row["agreed"], row["designs"]) == (1, 1, 2)
    assert row["minutes"] == 1
    assert yearly_report(year=YEAR - 1, school=world.school).group_rows() == []


def test_counting_the_groups_costs_the_same_with_more_groups(world, plan, principal):
    _a_year_of_work(world, plan)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            yearly_report(year=YEAR, school=world.school)
        return len(ctx.captured_queries)

    before = queries()
    for n in range(5):
        group = TeachingGroup.objects.create(school=world.school, name=f"第{n}组")
        other = planning.plan_create(
            group=group, semester=world.semester, weekday=4, starts_at=datetime.time(14),
            ends_at=datetime.time(15), place="会议室", by=fresh(principal),
        )  # fmt: skip
        activity_today(other, fresh(principal), host=world.plain)
    assert queries() == before
