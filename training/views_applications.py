"""Enrolment by application: the teacher applies from *My training*, the organiser (or, for a
district programme, the teacher's school) approves or declines on the programme page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import applications, forms, selectors
from .models import Application, Programme


@require_POST
def apply(request, pk: int):
    teacher = selectors.own_teacher(request.user)
    programme = (
        Programme.objects.filter(pk=pk, open_for_application=True).first() if teacher else None
    )
    tiers = applications.held_tier_ids(teacher) if programme else set()
    if programme is None or not applications.in_audience(programme, teacher, tiers):
        raise Http404  # a programme the teacher is not invited to apply to does not exist
    form = forms.ApplicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])))
        return redirect("training:mine")
    try:
        applications.application_submit(
            programme=programme, teacher=teacher, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Your application to %(programme)s was sent to the organiser.")
            % {"programme": programme.title},
        )
    return redirect("training:mine")


@require_POST
def decide(request, pk: int):
    application = (
        Application.objects.select_related("programme__school", "teacher__school")
        .filter(pk=pk, programme__in=Programme.objects.visible_to(request.user))
        .first()
    )
    if (
        application is None
        or not selectors.visible_teachers(user=request.user, programme=application.programme)
        .filter(pk=application.teacher_id)
        .exists()
    ):
        raise Http404
    if not applications.may_decide(application=application, by=request.user):
        raise PermissionDenied
    approve = request.POST.get("decision") == "approve"
    try:
        applications.application_decide(
            application=application,
            approve=approve,
            reason=request.POST.get("reason", ""),
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if approve:
            done = _("%(name)s is enrolled.")
        else:
            done = _("The application of %(name)s was declined.")
        messages.success(request, done % {"name": application.teacher.name})
    return redirect("training:programme", pk=application.programme_id)


urlpatterns = [
    path("<id:pk>/apply/", apply, name="apply"),
    path("applications/<id:pk>/decide/", decide, name="application_decide"),
]
