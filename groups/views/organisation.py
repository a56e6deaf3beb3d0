"""The list of groups, a group's page, and what the principal or training office manages:
creating, renaming, members and heads, the school's group settings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import add_service_errors, is_id
from core.models import Semester, TeachingGroup

from .. import forms, selectors
from ..models import GroupSettings
from ..services import organisation
from ..summary import summarise


def group_list(request):
    user = request.user
    groups = list(selectors.group_list(user=user))
    scope = user.scope
    if not groups and not (scope.is_superuser or scope.school_roles or scope.district_ids):
        raise Http404
    context = {
        "groups": groups,
        "can_create": scope.is_superuser or bool(scope.managed_school_ids),
        "kinds": TeachingGroup.Kind,
    }
    return render(request, "groups/list.html", context)


def _managed_schools(user):
    return user.scope.schools(write=True).order_by("name")


def group_new(request):
    schools = _managed_schools(request.user)
    if not schools.exists():
        raise PermissionDenied
    form = forms.GroupForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = organisation.group_create(
                school=data["school"], name=data["name"], kind=data["kind"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The group is created. Now add its members and head."))
            return redirect("groups:members", pk=group.pk)
    return render(request, "groups/form.html", {"form": form, "title": _("New group")})


def group_detail(request, pk: int):
    group = selectors.get_group(user=request.user, pk=pk)
    plans = list(selectors.group_plans(group))
    today = timezone.localdate()
    current = next(
        (p for p in plans if p.semester.start_date <= today <= p.semester.end_date), None
    )
    summaries = summarise(group.plans.filter(pk__in=[p.pk for p in plans]))
    semesters = Semester.objects.filter(
        school_year__district_id=group.school.district_id, end_date__gte=today
    ).exclude(pk__in=[p.semester_id for p in plans])
    context = {
        "group": group,
        "members": list(selectors.group_members(group)),
        "heads": list(group.heads.all()),
        "plans": plans,
        "current": current,
        "summary": summaries.get(group.pk),
        "can_manage": request.user.scope.can_manage_school(group.school_id),
        "can_lead": selectors.may_lead(request.user, group),
        "can_plan": selectors.may_lead(request.user, group) and semesters.exists(),
    }
    return render(request, "groups/detail.html", context)


def group_edit(request, pk: int):
    group = selectors.get_group(user=request.user, pk=pk)
    selectors.require_manager(request.user, group)
    form = forms.GroupForm(
        request.POST or None,
        schools=_managed_schools(request.user),
        renaming=True,
        initial={"name": group.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation.group_rename(group=group, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("groups:detail", pk=group.pk)
    context = {"form": form, "group": group, "title": _("Rename the group")}
    return render(request, "groups/form.html", context)


def group_members(request, pk: int):
    group = selectors.get_group(user=request.user, pk=pk)
    selectors.require_manager(request.user, group)
    teachers = selectors.school_teachers(group)
    initial = {
        "members": list(selectors.group_members(group)),
        "heads": list(teachers.filter(user__led_groups=group)),
    }
    form = forms.MembersForm(request.POST or None, teachers=teachers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation.group_members_set(group=group, teachers=data["members"], by=request.user)
            organisation.group_heads_set(group=group, teachers=data["heads"], by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Members and heads are saved."))
            return redirect("groups:detail", pk=group.pk)
    context = {"form": form, "group": group, "title": _("Members and heads")}
    return render(request, "groups/form.html", context)


def group_settings(request):
    schools = _managed_schools(request.user)
    chosen = request.GET.get("school", "")
    school = (schools.filter(pk=chosen).first() if is_id(chosen) else None) or schools.first()
    if school is None:
        raise PermissionDenied
    current = GroupSettings.for_school(school.pk)
    form = forms.SettingsForm(
        request.POST or None,
        initial={
            "activity_hours": current.activity_hours,
            "hours_school_based": current.hours_school_based,
        },
    )
    if request.method == "POST" and form.is_valid():
        organisation.group_settings_save(school=school, by=request.user, **form.cleaned_data)
        messages.success(request, _("The settings apply to semester plans made from now on."))
        return redirect("groups:list")
    context = {
        "form": form,
        "title": _("Group work settings: %(school)s") % {"school": school},
        "intro": _(
            "Attending a group activity credits these hours in the training ledger; tick the box "
            "where the school counts them as school-based training."
        ),
    }
    return render(request, "groups/form.html", context)


urlpatterns = [
    path("", group_list, name="list"),
    path("new/", group_new, name="new"),
    path("settings/", group_settings, name="settings"),
    path("<id:pk>/", group_detail, name="detail"),
    path("<id:pk>/edit/", group_edit, name="edit"),
    path("<id:pk>/members/", group_members, name="members"),
]
