"""Collective lesson preparation pages: the unit with its draft, comments, common plan and
each teacher's adaptation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import download_response
from core.forms import add_service_errors

from .. import forms, selectors
from ..models import PreparationUnit
from ..services import preparation


def unit_new(request, pk: int):
    plan = selectors.get_plan(user=request.user, pk=pk)
    selectors.require_lead(request.user, plan.group)
    form = forms.UnitForm(
        request.POST or None,
        teachers=selectors.group_members(plan.group),
        activities=plan.activities.select_related("session"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit = preparation.unit_create(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("groups:unit", pk=unit.pk)
    context = {"form": form, "group": plan.group, "plan": plan, "title": _("Unit to prepare")}
    return render(request, "groups/form.html", context)


def unit_detail(request, pk: int):
    unit = selectors.get_unit(user=request.user, pk=pk)
    group = unit.plan.group
    details = selectors.unit_detail(unit)
    me = selectors.group_members(group).filter(user_id=request.user.pk).first()
    mine = next((a for a in details["adaptations"] if me and a.teacher_id == me.pk), None)
    Stage = PreparationUnit.Stage
    is_preparer = unit.main_preparer.user_id == request.user.pk
    context = {
        "unit": unit,
        "plan": unit.plan,
        "group": group,
        **details,
        "members": list(selectors.group_members(group)),
        "can_lead": selectors.may_lead(request.user, group),
        "is_preparer": is_preparer,
        "draft_form": forms.DraftForm(initial={"draft": unit.draft})
        if is_preparer and unit.stage != Stage.AGREED
        else None,
        "comment_form": forms.CommentForm() if unit.stage == Stage.DRAFTED else None,
        "agree_form": forms.AgreeForm(initial={"common_plan": unit.draft}),
        "adapt_form": forms.AdaptationForm(
            initial={
                "class_name": mine.class_name,
                "text": mine.text,
                "taught_on": mine.taught_on,
                "reflection": mine.reflection,
            }
            if mine
            else {"text": unit.common_plan}
        )
        if me and unit.stage == Stage.AGREED
        else None,
        "adapted_ids": {a.teacher_id for a in details["adaptations"]},
    }
    return render(request, "groups/unit.html", context)


def _is_member(user, unit) -> bool:
    return selectors.group_members(unit.plan.group).filter(user_id=user.pk).exists()


def _post(request, pk: int, form_class, action, done: str, *, may):
    """Who may act is checked before the form: a refused user learns nothing from it."""
    unit = selectors.get_unit(user=request.user, pk=pk)
    if not may(request.user, unit):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            action(unit, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("groups:unit", pk=unit.pk)


@require_POST
def unit_draft(request, pk: int):
    def action(unit, data):
        preparation.unit_draft_save(
            unit=unit, draft=data["draft"], upload=data["file"], by=request.user
        )

    return _post(
        request, pk, forms.DraftForm, action, _("The draft is saved for discussion."),
        may=lambda user, unit: unit.main_preparer.user_id == user.pk,
    )  # fmt: skip


@require_POST
def unit_comment(request, pk: int):
    def action(unit, data):
        preparation.unit_comment(unit=unit, text=data["text"], by=request.user)

    return _post(
        request, pk, forms.CommentForm, action, _("Your comment is posted."),
        may=lambda user, unit: selectors.may_lead(user, unit.plan.group) or _is_member(user, unit),
    )  # fmt: skip


@require_POST
def unit_agree(request, pk: int):
    def action(unit, data):
        preparation.unit_agree(unit=unit, common_plan=data["common_plan"], by=request.user)

    return _post(
        request, pk, forms.AgreeForm, action, _("The common plan is agreed."),
        may=lambda user, unit: selectors.may_lead(user, unit.plan.group),
    )  # fmt: skip


@require_POST
def unit_adapt(request, pk: int):
    def action(unit, data):
        preparation.adaptation_save(unit=unit, by=request.user, **data)

    return _post(
        request, pk, forms.AdaptationForm, action, _("Your adaptation is saved."), may=_is_member
    )


def unit_file(request, pk: int):
    unit = selectors.get_unit(user=request.user, pk=pk)
    if not unit.draft_file:
        raise Http404
    return download_response(unit.draft_file.open("rb"), filename=unit.draft_file_name)


urlpatterns = [
    path("plans/<id:pk>/units/new/", unit_new, name="unit_new"),
    path("units/<id:pk>/", unit_detail, name="unit"),
    path("units/<id:pk>/draft/", unit_draft, name="unit_draft"),
    path("units/<id:pk>/comment/", unit_comment, name="unit_comment"),
    path("units/<id:pk>/agree/", unit_agree, name="unit_agree"),
    path("units/<id:pk>/adapt/", unit_adapt, name="unit_adapt"),
    path("units/<id:pk>/file/", unit_file, name="unit_file"),
]
