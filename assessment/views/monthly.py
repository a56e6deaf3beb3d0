"""月考核 in the browser: the office opens a month's check, reads each backbone teacher's duty
completion, writes a comment per teacher and releases it; the district office reads its
schools' checks; a teacher reads their own released ones."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.http import require_POST

from core.actions import perform
from core.forms import Form

from ..duties import DutyState
from ..models import DutyKind, MonthlyCheck, MonthlyCheckEntry
from ..services import monthly as services


def _schools(user):
    """Schools whose checks the user reads: managed, or of the district office's district."""
    scope = user.scope
    qs = scope.schools()
    if scope.is_superuser:
        return qs
    return qs.filter(
        Q(pk__in=scope.managed_school_ids) | Q(district_id__in=scope.readable_district_ids)
    )


def _require_reader(user) -> None:
    scope = user.scope
    if not (scope.is_superuser or scope.managed_school_ids or scope.reads_districts):
        raise Http404


def _get_check(user, pk: int, *, write: bool = False) -> MonthlyCheck:
    check = (
        MonthlyCheck.objects.filter(school__in=_schools(user), pk=pk)
        .select_related("school")
        .first()
    )
    if check is None:
        raise Http404
    if write and not user.scope.can_manage_school(check.school_id):
        raise PermissionDenied
    return check


def _month_choices(today: datetime.date) -> list[tuple[str, str]]:
    months, day = [], today.replace(day=1)
    for _i in range(24):
        months.append((day.isoformat(), f"{day:%Y-%m}"))
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return months


class OpenForm(Form):
    school = forms.ModelChoiceField(label=gettext_lazy("School"), queryset=None)
    month = forms.ChoiceField(label=gettext_lazy("Month"))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["month"].choices = _month_choices(timezone.localdate())


STATUS_BADGE = {
    DutyState.MET: "text-bg-success",
    DutyState.ON_TRACK: "text-bg-info",
    DutyState.AT_RISK: "text-bg-warning",
    DutyState.MISSED: "text-bg-danger",
}


def _decorate(entry: MonthlyCheckEntry) -> MonthlyCheckEntry:
    kinds, states = dict(DutyKind.choices), dict(DutyState.choices)
    entry.duty_rows = [
        {
            **d,
            "label": kinds.get(d["kind"], d["kind"]),
            "status_label": states.get(d["status"], d["status"]),
            "badge": STATUS_BADGE.get(d["status"], "text-bg-secondary"),
        }
        for d in entry.duties
    ]
    return entry


def monthly_checks(request):
    _require_reader(request.user)
    managed = request.user.scope.schools(write=True)
    checks = (
        MonthlyCheck.objects.filter(school__in=_schools(request.user))
        .select_related("school")
        .order_by("-month", "school__code")
    )
    form = OpenForm(schools=managed) if managed.exists() else None
    return render(request, "assessment/monthly/list.html", {"checks": checks, "form": form})


@require_POST
def monthly_check_new(request):
    _require_reader(request.user)
    form = OpenForm(request.POST, schools=request.user.scope.schools(write=True))
    if not form.is_valid():
        messages.error(request, _("Choose one of your schools and a month."))
        return redirect("assessment:monthly_checks")
    month = datetime.date.fromisoformat(form.cleaned_data["month"])
    result = {}

    def run():
        result["check"] = services.monthly_check_open(
            school=form.cleaned_data["school"], month=month, by=request.user
        )
        return result["check"]

    if perform(request, run, success=_("The month's duties were read.")):
        return redirect("assessment:monthly_check", pk=result["check"].pk)
    return redirect("assessment:monthly_checks")


def monthly_check_detail(request, pk: int):
    check = _get_check(request.user, pk)
    entries = [
        _decorate(e)
        for e in check.entries.select_related("teacher", "commented_by").order_by(
            "teacher__staff_no"
        )
    ]
    can_manage = request.user.scope.can_manage_school(check.school_id)
    context = {
        "check": check,
        "entries": entries,
        "editable": can_manage and not check.is_released,
    }
    return render(request, "assessment/monthly/detail.html", context)


@require_POST
def monthly_check_save(request, pk: int):
    check = _get_check(request.user, pk, write=True)
    comments = {
        int(key.split("-", 1)[1]): value
        for key, value in request.POST.items()
        if key.startswith("comment-") and key.split("-", 1)[1].isdigit()
    }
    perform(
        request,
        lambda: services.monthly_check_comment(check=check, comments=comments, by=request.user),
        success=lambda n: (
            ngettext_lazy("%(n)d comment saved.", "%(n)d comments saved.", n) % {"n": n}
        ),
    )
    return redirect("assessment:monthly_check", pk=check.pk)


@require_POST
def monthly_check_release(request, pk: int):
    check = _get_check(request.user, pk, write=True)
    perform(
        request,
        lambda: services.monthly_check_release(check=check, by=request.user),
        success=_("The monthly check is released: each teacher now sees their own."),
    )
    return redirect("assessment:monthly_check", pk=check.pk)


def monthly_mine(request):
    teacher = getattr(request.user, "teacher", None)
    if teacher is None:
        raise Http404
    entries = [
        _decorate(e)
        for e in MonthlyCheckEntry.objects.filter(
            teacher=teacher, monthly_check__released_at__isnull=False
        )
        .select_related("monthly_check__school")
        .order_by("-monthly_check__month")
    ]
    return render(request, "assessment/monthly/mine.html", {"entries": entries})


urlpatterns = [
    path("monthly/", monthly_checks, name="monthly_checks"),
    path("monthly/new/", monthly_check_new, name="monthly_check_new"),
    path("monthly/mine/", monthly_mine, name="monthly_mine"),
    path("monthly/<id:pk>/", monthly_check_detail, name="monthly_check"),
    path("monthly/<id:pk>/comments/", monthly_check_save, name="monthly_check_save"),
    path("monthly/<id:pk>/release/", monthly_check_release, name="monthly_check_release"),
]
