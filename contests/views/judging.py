"""The judges' sheet, recusal, the results as each viewer may see them, and the prizes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.models import User
from scoring.forms import SheetForm
from scoring.pages import sheet_post
from scoring.selectors import is_active_member

from .. import forms, judging, selectors
from ..certificates import PRIZE_ORDER
from ..models import Contest
from ..services import contests as services


def sheet(request, pk: int):
    contest = selectors.get_contest(user=request.user, pk=pk)
    if not is_active_member(panel=contest.panel, user=request.user):
        raise PermissionDenied
    own, values = judging.own_sheet(contest=contest, member=request.user)
    final = (own is not None and own.is_submitted) or not judging.is_scoring(contest)
    entries = judging.scored_entries(contest=contest, member=request.user)
    form = SheetForm(
        request.POST or None,
        entries=entries,
        components=judging.items_of(contest),
        name=lambda entry: entry.title,
        values=values,
        disabled=final,
    )
    if request.method == "POST" and not final and form.is_valid():
        return sheet_post(
            request,
            round=contest,
            values=form.values,
            save=judging.sheet_save,
            submit=judging.sheet_send,
            to=("contests:sheet", "contests:results"),
        )
    context = {
        "contest": contest,
        "form": form,
        "sheet": own,
        "final": final,
        "recuse_form": forms.RecuseForm(),
    }
    return render(request, "contests/sheet.html", context)


@require_POST
def recuse(request, pk: int):
    contest = selectors.get_contest(user=request.user, pk=pk)
    judges = is_active_member(panel=contest.panel, user=request.user)
    if not judges and not selectors.can_edit(request.user, contest):
        raise PermissionDenied
    form = forms.RecuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the recusal."))
        return redirect("contests:sheet", pk=pk)
    entry = contest.entries.filter(pk=form.cleaned_data["entry"]).first()
    judge_id = form.cleaned_data["judge"] or request.user.pk
    judge = contest.panel.members.filter(pk=judge_id).first()
    if entry is None or judge is None:
        raise Http404
    try:
        judging.judge_recuse(
            contest=contest,
            judge=judge,
            entry=entry,
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The recusal is recorded: those marks never count."))
    if judge.pk == request.user.pk:
        return redirect("contests:sheet", pk=pk)
    return redirect("contests:results", pk=pk)


def results(request, pk: int):
    contest = selectors.get_contest(user=request.user, pk=pk)
    can_edit = selectors.can_edit(request.user, contest)
    seen = judging.sight(user=request.user, contest=contest)
    rows = judging.results(contest=contest, seen=seen)
    if not seen.totals and not can_edit:
        # Outside the organiser, the judges and the school's staff, a contest publishes its
        # prize winners, by prize: not the ranks of those without one.
        visible = set(selectors.visible_entries(user=request.user, contest=contest).values_list(
            "pk", flat=True
        ))  # fmt: skip
        rows = sorted(
            (r for r in rows if r.entry.pk in visible),
            key=lambda r: (PRIZE_ORDER.get(r.entry.prize, 99), r.entry.category),
        )
    prizes_form = None
    if can_edit and contest.stage == Contest.Stage.RESULTS:
        prizes_form = forms.PrizesForm(request.POST or None, entries=[r.entry for r in rows])
        if request.method == "POST" and prizes_form.is_valid():
            try:
                services.prizes_set(contest=contest, prizes=prizes_form.prizes, by=request.user)
            except ValidationError as exc:
                add_service_errors(prizes_form, exc)
            else:
                messages.success(request, _("The prizes are saved. Publish them when ready."))
                return redirect("contests:results", pk=pk)
    elif request.method == "POST":
        raise PermissionDenied
    prize_fields = dict(
        (entry.pk, field) for entry, field in (prizes_form.rows if prizes_form else [])
    )
    for row in rows:
        row.prize_field = prize_fields.get(row.entry.pk)
    context = {
        "contest": contest,
        "rows": rows,
        "seen": seen,
        "show_ranks": seen.ranks and seen.totals,
        "items": judging.items_of(contest),
        "can_edit": can_edit,
        "prizes_form": prizes_form,
        "is_judge": is_active_member(panel=contest.panel, user=request.user),
        "judges": judge_progress(contest) if can_edit or seen.progress else [],
    }
    return render(request, "contests/results.html", context)


def judge_progress(contest: Contest) -> list[tuple[User, object, bool]]:
    """(judge, membership, submitted) for each judge: who is done, who is recused."""
    submitted = set(
        contest.panel.sheets.filter(submitted_at__isnull=False).values_list("member_id", flat=True)
    )
    memberships = contest.panel.memberships.select_related("user").prefetch_related("recused_from")
    return [(m.user, m, m.user_id in submitted) for m in memberships]


urlpatterns = [
    path("<id:pk>/sheet/", sheet, name="sheet"),
    path("<id:pk>/recuse/", recuse, name="recuse"),
    path("<id:pk>/results/", results, name="results"),
]
