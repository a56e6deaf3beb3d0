"""Comments on a self-development plan (自我实现方案): the school's leaders, training office
and committee and the teacher's mentor comment; the teacher reads them
and replies in the same thread."""

from collections.abc import Callable

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
# Who else reads a teacher's plan and comments on it, e.g. their mentor: the apps above
# records register a predicate (mentoring does), as records knows nothing of them.
PLAN_READERS: list[Callable[[User, Teacher], bool]] = []


def plan_reader(predicate: Callable[[User, Teacher], bool]) -> Callable[[User, Teacher], bool]:
    if predicate not in PLAN_READERS:
        PLAN_READERS.append(predicate)
    return predicate


def is_plan_reader(user: User, teacher: Teacher) -> bool:
    return any(reader(user, teacher) for reader in PLAN_READERS)


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
    return is_plan_reader(user, plan.teacher)


# -- reads -----------------------------------------------------------------------------------------
def get_plan_for_user(*, user: User, pk: int) -> SelfDevelopmentPlan:
    """404 for anyone who may not see the plan (a draft is its author's alone)."""
    plan = SelfDevelopmentPlan.objects.select_related("teacher__school").filter(pk=pk).first()
    if plan is None:
        raise Http404
    if Record.objects.visible_to(user).filter(pk=pk).exists():
        return plan
    # A mentor may be outside the school's scope but reads their apprentice's plan.
    if plan.status not in (Status.DRAFT, Status.ARCHIVED) and is_plan_reader(user, plan.teacher):
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
