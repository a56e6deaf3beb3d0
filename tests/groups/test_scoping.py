"""The group head as a role of the scoping layer: read with the roles in one query, acting
for their own group only."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import User
from core.scoping import Scope
from groups.models import SemesterPlan


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_a_head_leads_their_group_and_no_other(world):
    scope = fresh(world.head_user).scope
    assert scope.led_group_ids == {world.group.pk}
    assert scope.can_lead_group(world.group.pk, world.school.pk)
    assert not scope.can_lead_group(world.other_group.pk, world.school.pk)
    plain = fresh(world.plain.user).scope
    assert plain.led_group_ids == frozenset()
    assert not plain.can_lead_group(world.group.pk, world.school.pk)


def test_the_principal_acts_for_every_group_of_the_school_only(world, principal, outsider):
    assert fresh(principal).scope.can_lead_group(world.group.pk, world.school.pk)
    assert not fresh(outsider).scope.can_lead_group(world.group.pk, world.school.pk)


def test_roles_and_led_groups_come_in_one_query(world):
    user = fresh(world.head_user)
    with CaptureQueriesContext(connection) as ctx:
        scope = Scope.for_user(user)
    assert len(ctx.captured_queries) == 1
    assert scope.roles_at(world.school.pk) == {"teacher"}
    assert scope.led_group_ids == {world.group.pk}


def test_a_head_who_loses_the_post_loses_the_group(world, plan):
    assert SemesterPlan.objects.editable_by(fresh(world.head_user)).count() == 1
    world.group.heads.remove(world.head_user)
    head = fresh(world.head_user)
    assert SemesterPlan.objects.editable_by(head).count() == 0
    assert SemesterPlan.objects.visible_to(head).count() == 1  # still a member: reads it


def test_a_narrowed_scope_keeps_only_groups_within(world):
    scope = fresh(world.head_user).scope
    assert scope.narrowed_to(school_ids=[]).led_group_ids == frozenset()
    assert scope.narrowed_to(school_ids=[world.school.pk]).led_group_ids == {world.group.pk}


def test_who_reads_a_groups_plan(world, plan, committee_member, district_office, outsider):
    readers = [world.head_user, world.members[1].user, committee_member, district_office]
    for user in readers:
        assert SemesterPlan.objects.visible_to(fresh(user)).filter(pk=plan.pk).exists(), user
    for user in (world.other_head.user, world.plain.user, outsider):
        assert not SemesterPlan.objects.visible_to(fresh(user)).exists(), user
    writers = SemesterPlan.objects.editable_by
    assert not writers(fresh(world.members[1].user)).exists()
    assert not writers(fresh(committee_member)).exists()
