"""A group's semester plan: the weekly slot, the week-by-week schedule, and planned against
held."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.models import Semester

from .. import forms, selectors
from ..services import planning
from ..summary import summarise


def plan_new(request, pk: int):
    group = selectors.get_group(user=request.user, pk=pk)
    selectors.require_lead(request.user, group)
    semesters = (
        Semester.objects.filter(
            school_year__district_id=group.school.district_id,
            end_date__gte=timezone.localdate(),
        )
        .exclude(pk__in=group.plans.values("semester_id"))
        .select_related("school_year")
        .order_by("start_date")
    )
    initial = {"semester": semesters.first(), "place": ""}
    form = forms.PlanForm(request.POST or None, semesters=semesters, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = planning.plan_create(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The plan is made. Now plan its weeks."))
            return redirect("groups:plan", pk=plan.pk)
    context = {"form": form, "group": group, "title": _("Semester plan")}
    return render(request, "groups/form.html", context)


def _rows(plan, weeks, activities):
    """One row per teaching week that has a plan or an activity: planned against held."""
    today = timezone.localdate()
    by_week = {w.pk: w for w in weeks}
    rows = {w.week: {"week": w.week, "date": w.date, "planned": w, "activities": []} for w in weeks}
    for activity in activities:
        number = by_week[activity.week_id].week if activity.week_id else None
        number = number or plan.week_of(activity.session.date)
        row = rows.setdefault(
            number,
            {"week": number, "date": activity.session.date, "planned": None, "activities": []},
        )
        activity.held = activity.session.date <= today and activity.attended > 0
        row["activities"].append(activity)
    for row in rows.values():
        held = any(a.held for a in row["activities"])
        if held:
            row["status"] = "held"
        elif row["date"] < today:
            row["status"] = "missed"
        else:
            row["status"] = "ahead"
    return [rows[k] for k in sorted(rows)]


def plan_detail(request, pk: int):
    plan = selectors.get_plan(user=request.user, pk=pk)
    weeks = selectors.plan_weeks(plan)
    activities = selectors.plan_activities(plan)
    used = {w.week for w in weeks}
    free = next((n for n in range(1, plan.week_count + 1) if n not in used), None)
    context = {
        "plan": plan,
        "group": plan.group,
        "rows": _rows(plan, weeks, activities),
        "units": selectors.plan_units(plan),
        "summary": summarise(type(plan).objects.filter(pk=plan.pk)).get(plan.group_id),
        "can_lead": selectors.may_lead(request.user, plan.group),
        "week_form": forms.WeekForm(initial={"week": free}),
        "enrolled": plan.programme.enrolments.active().count(),
    }
    return render(request, "groups/plan.html", context)


@require_POST
def week_set(request, pk: int):
    plan = selectors.get_plan(user=request.user, pk=pk)
    selectors.require_lead(request.user, plan.group)
    form = forms.WeekForm(request.POST)
    if form.is_valid():
        try:
            planning.week_set(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Week %(week)d is planned.") % form.cleaned_data)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("groups:plan", pk=plan.pk)


def plan_edit(request, pk: int):
    plan = selectors.get_plan(user=request.user, pk=pk)
    selectors.require_lead(request.user, plan.group)
    initial = {k: getattr(plan, k) for k in ("weekday", "starts_at", "ends_at", "place", "aims")}
    form = forms.SlotForm(request.POST or None, initial=initial)
    form.helper = forms._helper("weekday", "starts_at", "ends_at", "place", "aims")
    if request.method == "POST" and form.is_valid():
        try:
            planning.plan_update(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("groups:plan", pk=plan.pk)
    context = {"form": form, "group": plan.group, "title": _("Weekly slot")}
    return render(request, "groups/form.html", context)


urlpatterns = [
    path("<id:pk>/plans/new/", plan_new, name="plan_new"),
    path("plans/<id:pk>/", plan_detail, name="plan"),
    path("plans/<id:pk>/edit/", plan_edit, name="plan_edit"),
    path("plans/<id:pk>/weeks/", week_set, name="week_set"),
]
