"""Comments on a self-development plan (自我实现方案): the school's leaders, training office
and committee and the teacher's mentor comment; the teacher reads them
and replies in the same thread."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from core.models import User
from core.scoping import STAFF_ROLES
from teachers.models import Teacher

from ..models import AuditEntry, PlanComment, Record, SelfDevelopmentPlan, Status
from .workflow import audit_log

AUDIT_NOTE_LENGTH = 200


# -- named predicates ------------------------------------------------------------------------------
def is_mentor_of(user: User, teacher: Teacher) -> bool:
    """The teacher's mentor (师傅) in an active pairing reads and comments on their plan."""
    from mentoring.models import Pairing  # mentoring builds on records, not the other way

    if not user.is_authenticated:
        return False
    return Pairing.objects.filter(
        mentor__user=user, apprentice=teacher, status=Pairing.Status.ACTIVE
    ).exists()


def is_plan_author(user: User, plan: SelfDevelopmentPlan) -> bool:
    return plan.teacher.user_id is not None and plan.teacher.user_id == user.pk


def can_comment(user: User, plan: SelfDevelopmentPlan) -> bool:
    """The author replies; the school's staff (principal, training office, committee) and
    the teacher's mentor comment. The district office reads only."""
    if plan.status == Status.ARCHIVED:
        return False
    if is_plan_author(user, plan) or user.scope.is_superuser:
        return True
    if user.scope.roles_at(plan.teacher.school_id) & STAFF_ROLES:
        return True
    return is_mentor_of(user, plan.teacher)


# -- reads -----------------------------------------------------------------------------------------
def get_plan_for_user(*, user: User, pk: int) -> SelfDevelopmentPlan:
    """404 for anyone who may not see the plan (a draft is its author's alone)."""
    plan = SelfDevelopmentPlan.objects.select_related("teacher__school").filter(pk=pk).first()
    if plan is None:
        raise Http404
    if Record.objects.visible_to(user).filter(pk=pk).exists():
        return plan
    # A mentor may be outside the school's scope but reads their apprentice's plan.
    if plan.status not in (Status.DRAFT, Status.ARCHIVED) and is_mentor_of(user, plan.teacher):
        return plan
    raise Http404


def plan_comments(*, plan: SelfDevelopmentPlan) -> QuerySet[PlanComment]:
    return plan.comments.select_related("author").order_by("created_at", "pk")


# -- writes ----------------------------------------------------------------------------------------
@transaction.atomic
def plan_comment_add(*, plan: SelfDevelopmentPlan, by: User, text: str) -> PlanComment:
    if not can_comment(by, plan):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment first.")})
    comment = PlanComment(plan=plan, author=by, text=text)
    comment.full_clean()
    comment.save()
    note = text if len(text) <= AUDIT_NOTE_LENGTH else text[: AUDIT_NOTE_LENGTH - 1] + "…"
    audit_log(record=plan, actor=by, action=AuditEntry.Action.COMMENTED, note=note)
    return comment
