"""Printing a round's result sheets: the public-notice list, every teacher's form in one PDF,
or one teacher's form. Each button creates a job (or finds the finished one over the same data)
and sends the user to its progress page. A round that cannot be printed yet is refused here,
with the reason, before any job is queued."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import translation
from django.views.decorators.http import require_POST

from assessment import selectors
from assessment.models import AssessmentRound
from core.jobs import job_create

from .. import sheets


def _printable_round(request, pk: int) -> AssessmentRound:
    round = selectors.get_round_for_user(user=request.user, pk=pk)  # 404 outside the scope
    if not selectors.can_print_sheets(request.user, round):
        raise PermissionDenied
    return round


def _start(request, round: AssessmentRound, kind: str, teacher=None):
    problem = sheets.sheets_problem(round)
    if problem:
        messages.error(request, problem)
        return redirect("assessment:round", pk=round.pk)
    data = sheets.round_sheets(round=round)
    label = round.title if teacher is None else f"{round.title} · {teacher.name}"
    params = {"round": round.pk, "label": label}
    if teacher is not None:
        params["teacher"] = teacher.pk
    job = job_create(
        kind=kind,
        requested_by=request.user,
        params=params,
        school=round.school,
        fingerprint=data.fingerprint(
            kind=kind,
            language=translation.get_language() or "zh-hans",
            teacher_id=teacher.pk if teacher else None,
        ),
    )
    return redirect("job", pk=job.pk)


@require_POST
def print_notice(request, pk: int):
    return _start(request, _printable_round(request, pk), sheets.KIND_NOTICE)


@require_POST
def print_forms(request, pk: int):
    return _start(request, _printable_round(request, pk), sheets.KIND_FORMS)


@require_POST
def print_form(request, pk: int, entry_pk: int):
    round = _printable_round(request, pk)
    entry = round.entries.select_related("teacher").filter(pk=entry_pk).first()
    if entry is None:
        raise Http404
    return _start(request, round, sheets.KIND_FORM, teacher=entry.teacher)


urlpatterns = [
    path("rounds/<id:pk>/print/notice/", print_notice, name="round_print_notice"),
    path("rounds/<id:pk>/print/forms/", print_forms, name="round_print_forms"),
    path("rounds/<id:pk>/print/forms/<id:entry_pk>/", print_form, name="round_print_form"),
]
