"""Comments on self-development plans (自我实现方案)."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from core.models import Role
from records.models import AuditEntry, PlanComment, SelfDevelopmentPlan, Status
from tests.factories import TeacherFactory, user_with_role


def make_plan(teacher, *, status=Status.SUBMITTED) -> SelfDevelopmentPlan:
    return SelfDevelopmentPlan.objects.create(
        teacher=teacher,
        date=datetime.date(2025, 9, 10),
        year=2025,
        semester=1,
        status=status,
        first_year=2025,
        last_year=2027,
        review="回顾",
        self_assessment="自我评估",
        long_term_goals="成为区级骨干",
        short_term_goals="每学期一节公开课",
        measures="读书、听课、写反思",
    )


@pytest.fixture
def plan(teacher_user):
    return make_plan(teacher_user.teacher)


def comment_url(plan) -> str:
    return reverse("records:plan_comment", args=[plan.pk])


def render_panel(plan, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("records/kinds/plan_extra.html", {"record": plan}, request=request)


def test_a_training_office_comment_is_visible_to_the_teacher(
    login, training_office, teacher_user, plan
):
    response = login(training_office).post(comment_url(plan), {"text": "长期目标请具体到学年。"})

    assert response.status_code == 302
    comment = PlanComment.objects.get()
    assert (comment.plan_id, comment.author) == (plan.pk, training_office)
    html = render_panel(plan, teacher_user)
    assert "长期目标请具体到学年。" in html
    assert str(training_office) in html


def test_commenting_leaves_a_commented_entry_in_the_audit_trail(login, principal, plan):
    login(principal).post(comment_url(plan), {"text": "很好"})

    entry = AuditEntry.objects.get(record_id=plan.pk, action=AuditEntry.Action.COMMENTED)
    assert (entry.actor, entry.note) == (principal, "很好")


def test_the_teacher_replies_in_the_same_thread(login, training_office, teacher_user, plan):
    login(training_office).post(comment_url(plan), {"text": "请补充措施。"})
    login(teacher_user).post(comment_url(plan), {"text": "已补充。"})

    assert list(plan.comments.values_list("text", flat=True)) == ["请补充措施。", "已补充。"]
    with translation.override("en"):
        assert "Reply</button>" in render_panel(plan, teacher_user)


@pytest.mark.parametrize("role", ["principal", "training_office", "committee_member"])
def test_the_schools_staff_may_comment(request, login, plan, role):
    user = request.getfixturevalue(role)

    login(user).post(comment_url(plan), {"text": "意见"})

    assert PlanComment.objects.filter(author=user).exists()


def test_the_district_office_reads_but_may_not_comment(login, district_office, plan):
    PlanComment.objects.create(plan=plan, author=district_office, text="旧评论")

    response = login(district_office).post(comment_url(plan), {"text": "意见"})

    assert response.status_code == 403
    html = render_panel(plan, district_office)
    assert "旧评论" in html and 'name="text"' not in html


def test_outsiders_get_404(login, outsider, plan):
    assert login(outsider).post(comment_url(plan), {"text": "意见"}).status_code == 404
    assert not PlanComment.objects.exists()


def test_another_teacher_of_the_school_gets_404(login, school, plan):
    other = user_with_role(Role.TEACHER, school=school, username="other")
    TeacherFactory(school=school, user=other)

    assert login(other).post(comment_url(plan), {"text": "意见"}).status_code == 404


def test_a_draft_plan_is_private_to_its_author(login, training_office, teacher_user):
    draft = make_plan(teacher_user.teacher, status=Status.DRAFT)

    assert login(training_office).post(comment_url(draft), {"text": "x"}).status_code == 404
    login(teacher_user).post(comment_url(draft), {"text": "给自己的备注"})
    assert draft.comments.count() == 1


def test_an_empty_comment_is_refused(login, training_office, plan):
    login(training_office).post(comment_url(plan), {"text": "   "})

    assert not PlanComment.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.COMMENTED).exists()


def test_commenting_by_htmx_returns_the_thread(login, training_office, plan):
    response = login(training_office).post(
        comment_url(plan), {"text": "继续努力"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card mb-3" id="plan-comments"')
    assert "继续努力" in html


def test_comments_go_back_to_the_page_they_were_written_on(login, training_office, plan):
    response = login(training_office).post(
        comment_url(plan), {"text": "好", "next": "/records/somewhere/"}
    )
    evil = login(training_office).post(
        comment_url(plan), {"text": "好", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/records/somewhere/"
    assert "evil.example" not in evil["Location"]


def test_the_record_page_of_a_plan_shows_the_thread_and_the_form(
    login, training_office, teacher_user, plan
):
    PlanComment.objects.create(plan=plan, author=training_office, text="目标清楚")

    html = login(teacher_user).get(reverse("records:detail", args=[plan.pk])).content.decode()

    assert 'id="plan-comments"' in html
    assert "目标清楚" in html
    assert f'action="{comment_url(plan)}"' in html


def pair(mentor, apprentice, status):
    from mentoring.models import Pairing

    return Pairing.objects.create(
        school=apprentice.school,
        mentor=mentor,
        apprentice=apprentice,
        origin=Pairing.Origin.SCHOOL,
        status=status,
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2026, 7, 15),
        goals="站稳讲台",
        mentor_duties="每周听课两节",
        apprentice_duties="每周听课三节",
    )


@pytest.fixture
def mentor_user(school):
    user = user_with_role(Role.TEACHER, school=school, username="mentor")
    TeacherFactory(school=school, user=user, name="王师傅", staff_no="M001")
    return user


def test_the_apprentices_mentor_reads_and_comments_on_the_plan(
    login, mentor_user, teacher_user, plan
):
    from mentoring.models import Pairing

    pair(mentor_user.teacher, teacher_user.teacher, Pairing.Status.ACTIVE)
    client = login(mentor_user)

    assert client.get(reverse("records:detail", args=[plan.pk])).status_code == 200
    client.post(comment_url(plan), {"text": "第二年争取上区级公开课"})

    assert list(plan.comments.values_list("author__username", "text")) == [
        ("mentor", "第二年争取上区级公开课")
    ]


def test_a_mentor_whose_pairing_ended_no_longer_comments(login, mentor_user, teacher_user, plan):
    from mentoring.models import Pairing

    pair(mentor_user.teacher, teacher_user.teacher, Pairing.Status.COMPLETED)

    response = login(mentor_user).post(comment_url(plan), {"text": "继续"})

    assert response.status_code in (403, 404)
    assert not plan.comments.exists()
