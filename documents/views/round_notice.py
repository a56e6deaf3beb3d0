"""Printing a selection round's notice (公示): the button creates the job (or finds the finished
one over the same data) and sends the user to its progress page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils import translation
from django.views.decorators.http import require_POST

from backbone.selectors.rounds import can_print_notice, get_round_for_user
from core.jobs import job_create

from .. import round_notice


@require_POST
def print_selection_notice(request, pk: int):
    round = get_round_for_user(user=request.user, pk=pk)  # 404 outside the scope
    if not can_print_notice(request.user, round):
        raise PermissionDenied
    notice = round_notice.round_notice(round=round)
    job = job_create(
        kind=round_notice.KIND,
        requested_by=request.user,
        params={"round": round.pk, "label": f"{round.title} · {round.tier.label}"},
        school=round.school,
        district=round.district if round.is_district else None,
        fingerprint=notice.fingerprint(language=translation.get_language() or "zh-hans"),
    )
    return redirect("job", pk=job.pk)


urlpatterns = [
    path(
        "backbone/rounds/<id:pk>/print/notice/",
        print_selection_notice,
        name="selection_print_notice",
    ),
]
