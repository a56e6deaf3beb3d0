"""Activities (教研活动): set up from a planned week, attendance through the training
register (tick list, projector QR, import), minutes, follow-up and files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import download_response
from core.forms import add_service_errors
from training.models import Attendance

from .. import forms, selectors
from ..models import ActivityAttachment
from ..services import planning


def _activity_form(request, plan, activity=None):
    weeks = plan.weeks.order_by("week")
    teachers = selectors.school_teachers(plan.group)
    if activity is not None:
        s = activity.session
        initial = {
            "week": activity.week, "kind": activity.kind, "theme": s.theme,
            "host": s.speaker_teacher, "date": s.date, "starts_at": s.starts_at,
            "ends_at": s.ends_at, "place": s.place, "content": s.content,
        }  # fmt: skip
    else:
        week = weeks.filter(week=request.GET.get("week") or 0).first()
        initial = {
            "starts_at": plan.starts_at, "ends_at": plan.ends_at, "place": plan.place,
            "host": teachers.filter(user_id=request.user.pk).first(),
        }  # fmt: skip
        if week is not None:
            initial |= {"week": week, "kind": week.kind, "theme": week.theme, "date": week.date}
    return forms.ActivityForm(request.POST or None, weeks=weeks, teachers=teachers, initial=initial)


def _save(request, plan, activity=None):
    form = _activity_form(request, plan, activity)
    if request.method == "POST" and form.is_valid():
        try:
            activity = planning.activity_save(
                plan=plan, activity=activity, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("groups:activity", pk=activity.pk)
    context = {"form": form, "group": plan.group, "plan": plan, "title": _("Activity")}
    return render(request, "groups/form.html", context)


def activity_new(request, pk: int):
    plan = selectors.get_plan(user=request.user, pk=pk)
    selectors.require_lead(request.user, plan.group)
    return _save(request, plan)


def activity_edit(request, pk: int):
    activity = selectors.get_activity(user=request.user, pk=pk)
    selectors.require_lead(request.user, activity.plan.group)
    return _save(request, activity.plan, activity)


def activity_detail(request, pk: int):
    activity = selectors.get_activity(user=request.user, pk=pk)
    session, group = activity.session, activity.plan.group
    lines = list(session.attendances.values_list("status", flat=True))
    can_lead = selectors.may_lead(request.user, group)
    context = {
        "activity": activity,
        "session": session,
        "plan": activity.plan,
        "group": group,
        "attended": sum(1 for s in lines if s in Attendance.ATTENDED),
        "on_leave": sum(1 for s in lines if s == Attendance.Status.LEAVE),
        "enrolled": activity.plan.programme.enrolments.active().count(),
        "files": list(activity.attachments.all()),
        "units": list(activity.units.select_related("main_preparer")),
        "can_lead": can_lead,
        "is_past": session.date <= timezone.localdate(),
        "minutes_form": forms.MinutesForm(
            initial={"minutes": activity.minutes, "follow_up": activity.follow_up}
        )
        if can_lead
        else None,
    }
    return render(request, "groups/activity.html", context)


@require_POST
def activity_minutes(request, pk: int):
    activity = selectors.get_activity(user=request.user, pk=pk)
    selectors.require_lead(request.user, activity.plan.group)
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        try:
            planning.activity_minutes_save(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The minutes are saved."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("groups:activity", pk=activity.pk)


@require_POST
def activity_file_add(request, pk: int):
    activity = selectors.get_activity(user=request.user, pk=pk)
    selectors.require_lead(request.user, activity.plan.group)
    form = forms.FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            planning.activity_file_add(
                activity=activity, upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The file is attached."))
    else:
        messages.error(request, _("Choose a file."))
    return redirect("groups:activity", pk=activity.pk)


def activity_file(request, pk: int):
    item = (
        ActivityAttachment.objects.visible_to(request.user)
        .select_related("activity")
        .filter(pk=pk)
        .first()
    )
    if item is None or not item.file:
        raise Http404
    return download_response(
        item.file.open("rb"), filename=item.original_name, content_type=item.content_type
    )


urlpatterns = [
    path("plans/<id:pk>/activities/new/", activity_new, name="activity_new"),
    path("activities/<id:pk>/", activity_detail, name="activity"),
    path("activities/<id:pk>/edit/", activity_edit, name="activity_edit"),
    path("activities/<id:pk>/minutes/", activity_minutes, name="activity_minutes"),
    path("activities/<id:pk>/files/", activity_file_add, name="activity_file_add"),
    path("files/<id:pk>/", activity_file, name="activity_file"),
]
