"""Collective lesson preparation: the main preparer drafts (初备), the group comments, the head
agrees the common plan (共案), each member adapts it (个案) and reflects after class. Each
teacher's part lands on their record as one verified teaching design, once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import User
from groups.models import PreparationUnit
from groups.services import preparation
from records.models import Paper, Status

from .conftest import TODAY


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.fixture
def unit(world, plan):
    return preparation.unit_create(
        plan=plan, title="第三单元《草船借箭》", main_preparer=world.members[1], activity=None,
        by=fresh(world.head_user),
    )  # fmt: skip


def designs(teacher):
    return Paper.objects.filter(teacher=teacher, result_kind=Paper.ResultKind.DESIGN)


def test_a_unit_moves_through_the_stages_and_each_teacher_gets_one_design(world, unit):
    head, preparer, third = (fresh(t.user) for t in world.members)
    assert unit.stage == PreparationUnit.Stage.ASSIGNED
    with pytest.raises(PermissionDenied):  # only the main preparer drafts
        preparation.unit_draft_save(unit=unit, draft="初稿", by=third)
    unit = preparation.unit_draft_save(unit=unit, draft="教学目标……", by=preparer)
    assert unit.stage == PreparationUnit.Stage.DRAFTED
    preparation.unit_comment(unit=unit, text="导入可以更简洁", by=third)
    unit = preparation.unit_agree(unit=unit, common_plan="", by=head)
    assert (unit.stage, unit.common_plan) == (PreparationUnit.Stage.AGREED, "教学目标……")
    preparation.unit_agree(unit=unit, common_plan="又一版", by=head)  # a second click
    record = designs(world.members[1]).get()
    assert record.status == Status.VERIFIED and record.verified_by == head
    assert record.source == unit.source_key
    # The member adapts, then reflects after teaching: only then is it their design.
    preparation.adaptation_save(unit=unit, class_name="五(2)班", text="我班学生基础较好……",
                                taught_on=None, reflection="", by=third)  # fmt: skip
    assert not designs(world.members[2]).exists()
    for _ in range(2):
        preparation.adaptation_save(
            unit=unit, class_name="五(2)班", text="我班学生基础较好……",
            taught_on=TODAY, reflection="小组讨论时间不够", by=third,
        )  # fmt: skip
    assert designs(world.members[2]).count() == 1
    # The main preparer's own reflection updates their one design, no second record.
    preparation.adaptation_save(unit=unit, class_name="五(1)班", text="按共案",
                                taught_on=TODAY, reflection="效果好", by=preparer)  # fmt: skip
    assert designs(world.members[1]).count() == 1


def test_the_order_of_the_stages_is_kept(world, unit):
    head, preparer, third = (fresh(t.user) for t in world.members)
    with pytest.raises(ValidationError):
        preparation.unit_agree(unit=unit, common_plan="", by=head)  # nothing drafted
    with pytest.raises(ValidationError):
        preparation.unit_comment(unit=unit, text="?", by=third)
    with pytest.raises(ValidationError):
        preparation.adaptation_save(unit=unit, class_name="", text="x", taught_on=None,
                                    reflection="", by=third)  # fmt: skip
    preparation.unit_draft_save(unit=unit, draft="初稿", by=preparer)
    with pytest.raises(PermissionDenied):
        preparation.unit_agree(unit=unit, common_plan="", by=preparer)  # the head agrees
    preparation.unit_agree(unit=unit, common_plan="", by=head)
    with pytest.raises(ValidationError):
        preparation.unit_draft_save(unit=unit, draft="改稿", by=preparer)
    with pytest.raises(ValidationError):  # a reflection needs the day taught, not a future one
        preparation.adaptation_save(unit=unit, class_name="", text="x", taught_on=None,
                                    reflection="反思", by=third)  # fmt: skip
    with pytest.raises(ValidationError):
        preparation.adaptation_save(
            unit=unit, class_name="", text="x", taught_on=TODAY + datetime.timedelta(days=3),
            reflection="反思", by=third,
        )  # fmt: skip


def test_outsiders_neither_comment_nor_adapt(world, unit):
    preparation.unit_draft_save(unit=unit, draft="初稿", by=fresh(world.members[1].user))
    for user in (world.other_head.user, world.plain.user):
        with pytest.raises(PermissionDenied):
            preparation.unit_comment(unit=unit, text="路过", by=fresh(user))


def test_the_unit_page_for_each_role(world, unit, principal, committee_member, outsider, login):
    url = reverse("groups:unit", args=[unit.pk])
    preparer = world.members[1].user
    draft = reverse("groups:unit_draft", args=[unit.pk])
    response = login(preparer).post(draft, {"draft": "教学目标：理解课文"})
    assert response.status_code == 302
    for user in (principal, committee_member, world.head_user, world.members[2].user):
        assert "教学目标：理解课文" in login(user).get(url).content.decode(), user
    for user in (world.other_head.user, world.plain.user, outsider):
        assert login(user).get(url).status_code == 404
        assert login(user).post(draft, {"draft": "篡改"}).status_code == 404
    agree = reverse("groups:unit_agree", args=[unit.pk])
    login(committee_member).post(agree, {"common_plan": ""})
    assert PreparationUnit.objects.get(pk=unit.pk).stage == PreparationUnit.Stage.DRAFTED
    login(world.head_user).post(agree, {"common_plan": "共案定稿"})
    unit.refresh_from_db()
    assert (unit.stage, unit.common_plan) == (PreparationUnit.Stage.AGREED, "共案定稿")
    adapt = reverse("groups:unit_adapt", args=[unit.pk])
    login(world.members[2].user).post(
        adapt, {"text": "二次备课", "taught_on": TODAY.isoformat(), "reflection": "学生很投入"}
    )
    assert designs(world.members[2]).count() == 1


def test_the_head_sees_each_units_stage_at_the_same_cost(world, plan, unit, login, count_queries):
    url = reverse("groups:plan", args=[plan.pk])
    client = login(world.head_user)
    before = count_queries(client, url)
    head = fresh(world.head_user)
    for n in range(10):
        more = preparation.unit_create(plan=plan, title=f"第{n}课", main_preparer=world.head,
                                       activity=None, by=head)  # fmt: skip
        preparation.unit_draft_save(unit=more, draft="初稿", by=head)
    assert count_queries(client, url) == before
    unit_url = reverse("groups:unit", args=[unit.pk])
    assert count_queries(client, unit_url) <= 20
