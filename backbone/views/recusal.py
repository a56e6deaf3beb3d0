"""Recusal (回避) on a selection round's pages: the list of who stepped back from whom, and the
form to declare it (a committee member for themselves, the principal or training office for
any member), until the list is announced."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from core.forms import add_service_errors

from ..forms.recusal import RecusalForm
from ..models import SelectionRound
from ..selectors import rounds as selectors
from ..services import rounds as services

DECLARABLE = (SelectionRound.Status.OPEN, SelectionRound.Status.SCORING)


def round_recusal(request, pk: int):
    round = selectors.get_round_for_user(user=request.user, pk=pk)  # 404 outside the scope
    manages = selectors.can_manage_round(request.user, round)
    on_panel = selectors.is_committee_member(request.user, round)
    may_declare = round.status in DECLARABLE and (manages or on_panel)
    if request.method == "POST" and not may_declare:
        raise PermissionDenied
    form = None
    if may_declare:
        form = RecusalForm(
            request.POST or None, round=round, member=None if manages else request.user
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.round_member_recuse(
                round=round,
                by=request.user,
                member=data["member"],
                reason=data["reason"],
                candidates=None if data["whole"] else data["candidates"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The recusal of %(name)s is recorded.") % {"name": data["member"]}
            )
            return redirect("backbone:round_recusal", pk=round.pk)
    context = {
        "round": round,
        "recusals": selectors.recusals(round=round, user=request.user),
        "form": form,
        "for_self": form is not None and not manages,
    }
    return render(request, "backbone/rounds/recusal.html", context)


urlpatterns = [
    path("rounds/<id:pk>/recusal/", round_recusal, name="round_recusal"),
]
