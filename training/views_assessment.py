"""The trainee assessment in the browser: the organiser sets components, panel and pass mark,
each member fills a score sheet, the organiser reveals the results. Secrecy is
``scoring.visibility``'s, the writes are ``training.assessment``'s."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from scoring.forms import SheetForm
from scoring.pages import sheet_post
from scoring.selectors import is_active_member

from . import assessment, forms, selectors


def assessment_setup(request, pk: int):
    programme = selectors.get_programme(user=request.user, pk=pk, write=True)
    current = {i.key: (i.weight, i.max_score) for i in programme.panel.items.all()}
    form = forms.AssessmentForm(
        request.POST or None,
        components=assessment.COMPONENTS,
        current=current,
        members=assessment.panel_choices(programme=programme),
        initial={
            "pass_mark": programme.pass_mark or 60,
            "members": list(programme.panel.members.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment.assessment_set(
                programme=programme,
                components=form.components,
                members=form.cleaned_data["members"],
                pass_mark=form.cleaned_data["pass_mark"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The trainee assessment is saved."))
            return redirect("training:assessment_results", pk=programme.pk)
    context = {"programme": programme, "form": form}
    return render(request, "training/assessment_setup.html", context)


def assessment_sheet(request, pk: int):
    programme = selectors.get_programme(user=request.user, pk=pk)
    if not is_active_member(panel=programme.panel, user=request.user):
        raise PermissionDenied
    sheet, values = assessment.own_sheet(programme=programme, member=request.user)
    final = (sheet is not None and sheet.is_submitted) or not assessment.is_scoring(programme)
    form = SheetForm(
        request.POST or None,
        entries=assessment.scored_trainees(programme=programme, member=request.user),
        components=assessment.components_of(programme),
        name=lambda enrolment: enrolment.teacher.name,
        values=values,
        disabled=final,
    )
    if request.method == "POST" and not final and form.is_valid():
        to = ("training:assessment_sheet", "training:assessment_results")
        return sheet_post(
            request,
            round=programme,
            values=form.values,
            save=assessment.sheet_save,
            submit=assessment.sheet_send,
            to=to,
        )
    context = {"programme": programme, "form": form, "sheet": sheet, "final": final}
    return render(request, "training/assessment_sheet.html", context)


def assessment_results(request, pk: int):
    programme = selectors.get_programme(user=request.user, pk=pk)
    seen = assessment.sees_results(user=request.user, programme=programme)
    context = {
        "programme": programme,
        "components": assessment.components_of(programme),
        "results": assessment.results(programme=programme) if seen else None,
        "secret": programme.panel.is_secret,
        "can_edit": selectors.can_edit(request.user, programme),
        "is_member": is_active_member(panel=programme.panel, user=request.user),
    }
    return render(request, "training/assessment_results.html", context)


@require_POST
def assessment_reveal(request, pk: int):
    programme = selectors.get_programme(user=request.user, pk=pk, write=True)
    try:
        assessment.assessment_reveal(programme=programme, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The assessment results are revealed."))
    return redirect("training:assessment_results", pk=programme.pk)


urlpatterns = [
    path("<id:pk>/assessment/", assessment_results, name="assessment_results"),
    path("<id:pk>/assessment/setup/", assessment_setup, name="assessment_setup"),
    path("<id:pk>/assessment/sheet/", assessment_sheet, name="assessment_sheet"),
    path("<id:pk>/assessment/reveal/", assessment_reveal, name="assessment_reveal"),
]
