"""Groups managed in the browser by the principal or the training office: creating, renaming,
members and heads. The group's head and the committee read; another group's head, a teacher
outside the group and another school get 404."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import TeachingGroup
from groups.models import Membership
from tests.factories import TeacherFactory


def test_the_training_office_creates_a_lesson_preparation_group(world, training_office, login):
    client = login(training_office)
    response = client.post(
        reverse("groups:new"),
        {"school": world.school.pk, "kind": "preparation", "name": "三年级语文备课组"},
    )
    group = TeachingGroup.objects.get(name="三年级语文备课组")
    assert group.kind == TeachingGroup.Kind.PREPARATION
    assert response.url == reverse("groups:members", args=[group.pk])
    with translation.override("en"):
        assert str(group.get_kind_display()) == "Lesson-preparation group"


def test_a_second_group_of_the_same_name_is_refused(world, principal, login):
    response = login(principal).post(
        reverse("groups:new"), {"school": world.school.pk, "kind": "research", "name": "语文组"}
    )
    assert response.status_code == 200
    assert TeachingGroup.objects.filter(name="语文组").count() == 1


def test_members_and_heads_of_a_preparation_group_are_listed_apart_from_the_roster(
    world, principal, login
):
    prep = TeachingGroup.objects.create(
        school=world.school, name="三年级备课组", kind="preparation"
    )
    chosen = [world.members[1], world.plain]
    response = login(principal).post(
        reverse("groups:members", args=[prep.pk]),
        {"members": [t.pk for t in chosen], "heads": [world.plain.pk]},
    )
    assert response.status_code == 302
    assert set(Membership.objects.filter(group=prep).values_list("teacher__name", flat=True)) == {
        "钱老师", "郑老师",
    }  # fmt: skip
    world.members[1].refresh_from_db()
    assert world.members[1].group == world.group  # the roster's group is untouched
    assert list(prep.heads.all()) == [world.plain.user]


def test_members_of_a_research_group_are_the_rosters_group(world, principal, login):
    keep = world.members[:2]
    login(principal).post(
        reverse("groups:members", args=[world.group.pk]),
        {"members": [t.pk for t in keep] + [world.plain.pk], "heads": [world.head.pk]},
    )
    world.plain.refresh_from_db()
    world.members[2].refresh_from_db()
    assert world.plain.group == world.group
    assert world.members[2].group is None


def test_a_head_without_a_login_is_refused(world, principal, login):
    nobody = TeacherFactory(school=world.school, name="无账号", group=world.group)
    response = login(principal).post(
        reverse("groups:members", args=[world.group.pk]),
        {"members": [nobody.pk], "heads": [nobody.pk]},
    )
    assert response.status_code == 200
    assert list(world.group.heads.all()) == [world.head.user]


@pytest.mark.parametrize("url", ["groups:edit", "groups:members"])
def test_only_the_schools_managers_manage_a_group(
    world, url, principal, committee_member, outsider, login
):
    target = reverse(url, args=[world.group.pk])
    assert login(principal).get(target).status_code == 200
    for reader in (committee_member, world.head_user):
        assert login(reader).get(target).status_code == 403
        assert login(reader).post(target, {"name": "改名"}).status_code == 403
    for stranger in (world.other_head.user, world.plain.user, outsider):
        assert login(stranger).get(target).status_code == 404
    assert TeachingGroup.objects.get(pk=world.group.pk).name == "语文组"


def test_the_group_page_is_read_by_its_people_and_the_schools_staff(
    world, principal, committee_member, district_office, outsider, login
):
    target = reverse("groups:detail", args=[world.group.pk])
    for user in (principal, committee_member, district_office, world.head_user,
                 world.members[1].user):  # fmt: skip
        response = login(user).get(target)
        assert response.status_code == 200, user
        assert "周组长" in response.content.decode()
    for user in (world.other_head.user, world.plain.user, outsider):
        assert login(user).get(target).status_code == 404


def test_the_list_shows_a_teacher_only_their_groups(world, login):
    page = login(world.members[1].user).get(reverse("groups:list")).content.decode()
    assert "语文组" in page and "数学组" not in page


def test_group_settings_are_the_managers(world, principal, committee_member, login):
    target = reverse("groups:settings")
    assert login(committee_member).get(target).status_code == 403
    assert login(world.head_user).get(target).status_code == 403
    login(principal).post(target, {"activity_hours": "1.5", "hours_school_based": "on"})
    settings = world.school.group_settings
    assert (str(settings.activity_hours), settings.hours_school_based) == ("1.5", True)


def _grow(world, n):
    for i in range(n):
        TeacherFactory(school=world.school, group=world.group, name=f"成员{i}")
        TeachingGroup.objects.create(school=world.school, name=f"组{i}")


def test_the_list_and_group_page_cost_the_same_with_more_groups_and_members(
    world, plan, principal, login, count_queries
):
    client = login(principal)
    pages = [reverse("groups:list"), reverse("groups:detail", args=[world.group.pk])]
    before = [count_queries(client, url) for url in pages]
    _grow(world, 30)
    assert [count_queries(client, url) for url in pages] == before
    assert max(before) <= 20
