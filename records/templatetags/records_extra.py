"""Tags the record pages use to show what belongs under a record: the sign-ups and
evaluations of an open class, the comment thread of a self-development plan. They take the
record and the user, so the page's view needs to know nothing about them.

    {% load records_extra %}
    {% open_class_panel record user as panel %}
    {% plan_panel record user as panel %}
"""

from django import template

from ..forms_calendar import EvaluationForm, PlanCommentForm
from ..hours import hours_text
from ..models import OpenClass, Record, SelfDevelopmentPlan
from ..services import calendar as calendar_services
from ..services import plans as plan_services

register = template.Library()


def _child(record: Record, model):
    """The kind's own row, whether the page passed it or the base Record."""
    if isinstance(record, model):
        return record
    return model.objects.select_related("teacher__school").get(pk=record.pk)


@register.simple_tag
def open_class_panel(record, user) -> dict:
    open_class = _child(record, OpenClass)
    panel = calendar_services.open_class_panel(open_class=open_class, user=user)
    if panel["can_evaluate"]:
        panel["form"] = EvaluationForm(evaluation=panel["own_evaluation"])
    return panel


@register.simple_tag
def plan_panel(record, user, form=None) -> dict:
    plan = _child(record, SelfDevelopmentPlan)
    can_comment = plan_services.can_comment(user, plan)
    return {
        "plan": plan,
        "comments": list(plan_services.plan_comments(plan=plan)),
        "can_comment": can_comment,
        "is_author": plan_services.is_plan_author(user, plan),
        "form": (form or PlanCommentForm()) if can_comment else None,
    }


@register.filter
def stars(value) -> str:
    """A 1–5 rating as filled and empty stars, for a quick read of the averages."""
    try:
        n = int(float(value) + 0.5)
    except (TypeError, ValueError):
        return ""
    n = max(0, min(5, n))
    return "★" * n + "☆" * (5 - n)


@register.filter
def hours(value) -> str:
    """Training hours as a school office writes them: 2, not 2.0; 1.5 as it is."""
    if value in (None, ""):
        return ""
    return hours_text(value)
