"""The organiser's pages of a competition: the list, a new contest, its page and the steps of
its life (entries closed, scores revealed, results published or taken back)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.models import District, School, school_year_start
from scoring.selectors import is_active_member

from .. import forms, selectors
from ..services import contests as services
from ..services.entries import entering_teachers, is_open


def contest_list(request):
    year = request.GET.get("year", "")
    today = timezone.localdate()
    year = int(year) if year.isdigit() and len(year) == 4 else school_year_start(today)
    context = {
        "contests": selectors.contest_list(user=request.user, year=year),
        "year": year,
        "years": [year - 1, year, year + 1],
        "can_create": selectors.organises_any(request.user),
    }
    return render(request, "contests/contest_list.html", context)


def _organiser(user, value: str) -> tuple[School | None, District]:
    kind, pk = value[0], int(value[1:])
    if kind == "s":
        school = School.objects.select_related("district").get(pk=pk)
        return school, school.district
    return None, District.objects.get(pk=pk)


def contest_new(request):
    if not selectors.organises_any(request.user):
        raise PermissionDenied
    choices = forms.organiser_choices(request.user)
    organiser = request.POST.get("organiser") or (choices[0][0] if choices else "")
    if organiser not in {c[0] for c in choices}:
        organiser = choices[0][0]
    school, district = _organiser(request.user, organiser)
    judges = services.judge_choices(school=school, district=district)
    form = forms.ContestForm(request.POST or None, user=request.user, judges=judges)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contest = services.contest_create(
                school=school,
                district=district,
                title=data["title"],
                categories=data["categories"],
                rules=data["rules"],
                entry_opens=data["entry_opens"],
                entry_closes=data["entry_closes"],
                held_on=data["held_on"],
                quota_per_school=data["quota_per_school"],
                criteria=data["criteria"],
                judges=data["judges"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The competition was created."))
            return redirect("contests:contest", pk=contest.pk)
    return render(request, "contests/contest_form.html", {"form": form})


def contest_detail(request, pk: int):
    contest = selectors.get_contest(user=request.user, pk=pk)
    can_edit = selectors.can_edit(request.user, contest)
    entries = list(selectors.visible_entries(user=request.user, contest=contest))
    enters = is_open(contest) and entering_teachers(contest=contest, by=request.user).exists()
    context = {
        "contest": contest,
        "can_edit": can_edit,
        "entries": entries,
        "can_enter": enters,
        "is_judge": is_active_member(panel=contest.panel, user=request.user),
        "items": list(contest.panel.items.all()),
        "judges": list(contest.panel.memberships.select_related("user")) if can_edit else [],
    }
    return render(request, "contests/contest_detail.html", context)


def _step(request, pk: int, service, done: str, to: str = "contests:results"):
    contest = selectors.get_contest(user=request.user, pk=pk, write=True)
    try:
        service(contest=contest, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(to, pk=pk)


@require_POST
def entries_close(request, pk: int):
    done = _("Entries are closed: the judges score.")
    return _step(request, pk, services.entries_close, done, to="contests:contest")


@require_POST
def scores_reveal(request, pk: int):
    return _step(request, pk, services.scores_reveal, _("The scores are revealed."))


@require_POST
def results_publish(request, pk: int):
    done = _("The results are published: each prize is on its winner's record.")
    return _step(request, pk, services.results_publish, done)


@require_POST
def results_unpublish(request, pk: int):
    done = _("The results are taken back: correct the prizes and publish again.")
    return _step(request, pk, services.results_unpublish, done)


urlpatterns = [
    path("", contest_list, name="contests"),
    path("new/", contest_new, name="contest_new"),
    path("<id:pk>/", contest_detail, name="contest"),
    path("<id:pk>/close/", entries_close, name="entries_close"),
    path("<id:pk>/reveal/", scores_reveal, name="scores_reveal"),
    path("<id:pk>/publish/", results_publish, name="results_publish"),
    path("<id:pk>/unpublish/", results_unpublish, name="results_unpublish"),
]
