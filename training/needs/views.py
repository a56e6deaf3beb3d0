"""The training-needs survey pages: the offices' list and results (aggregates only), the
organiser's questions, closing and export, and the teacher's one answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors, is_id
from core.jobs import job_create
from core.models import School
from core.questions import AnswerForm, QuestionForm, pick_question

from .. import selectors
from ..models import NeedsSurvey
from . import exports, forms, services


def _survey_list_page(request, form, status=200):
    context = {
        "surveys": services.survey_list(user=request.user),
        "form": form,
    }
    return render(request, "training/needs_list.html", context, status=status)


def needs_list(request):
    if not selectors.sees_programmes(request.user):
        raise Http404
    form = (
        forms.NeedsSurveyForm(user=request.user) if selectors.organises_any(request.user) else None
    )
    return _survey_list_page(request, form)


@require_POST
def needs_new(request):
    if not selectors.organises_any(request.user):
        raise PermissionDenied
    form = forms.NeedsSurveyForm(request.POST, user=request.user)
    if not form.is_valid():
        return _survey_list_page(request, form)
    school_id, district_id = form.owner()
    year = form.cleaned_data["year"]
    title = form.cleaned_data["title"] or _("Training-needs survey %(year)s") % {
        "year": f"{year}-{year + 1}"
    }
    try:
        survey = services.survey_open(
            school=School.objects.get(pk=school_id) if school_id else None,
            district_id=district_id, year=year, title=title, by=request.user,
        )  # fmt: skip
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _survey_list_page(request, form)
    return redirect("training:needs", pk=survey.pk)


def needs_detail(request, pk: int):
    survey = services.get_survey(user=request.user, pk=pk)
    can_edit = services.can_edit(request.user, survey)
    schools = services.school_counts(user=request.user, survey=survey) if survey.is_district else []
    chosen = request.GET.get("school", "")
    school = next((s for s, _n, _t in schools if is_id(chosen) and s.pk == int(chosen)), None)
    context = {
        "survey": survey,
        "can_edit": can_edit,
        "may_export": services.may_export(request.user, survey),
        "summary": services.results(user=request.user, survey=survey, school=school),
        "schools": schools,
        "school": school,
        "questions": services.questions_of(survey),
        "question_form": QuestionForm() if can_edit and survey.is_open else None,
        "plan_from": services.plannable(request.user),
    }
    return render(request, "training/needs_detail.html", context)


@require_POST
def needs_question_add(request, pk: int):
    survey = services.get_survey(user=request.user, pk=pk, write=True)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(survey=survey, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, _("The question was added."))
    return redirect("training:needs", pk=pk)


@require_POST
def needs_question_remove(request, pk: int):
    survey = services.get_survey(user=request.user, pk=pk, write=True)
    target = pick_question(services.questions_of(survey), request.POST.get("question", ""))
    if target is None:
        raise Http404
    services.question_remove(question=target, by=request.user)
    messages.success(request, _("The question was removed."))
    return redirect("training:needs", pk=pk)


@require_POST
def needs_close(request, pk: int):
    survey = services.get_survey(user=request.user, pk=pk, write=True)
    services.survey_close(survey=survey, by=request.user)
    messages.success(request, _("The survey is closed: no more answers are taken."))
    return redirect("training:needs", pk=pk)


@require_POST
def needs_export(request, pk: int):
    survey = services.get_survey(user=request.user, pk=pk)
    owner = services.export_owner(request.user, survey)
    if owner is None:
        raise PermissionDenied
    job = job_create(
        kind=exports.KIND, requested_by=request.user, params={"survey": survey.pk}, **owner,
        force=True,
    )  # fmt: skip
    return redirect("job", pk=job.pk)


def needs_answer(request, pk: int):
    teacher = selectors.own_teacher(request.user)
    survey = NeedsSurvey.objects.open_to(teacher).filter(pk=pk).first() if teacher else None
    if survey is None:
        raise Http404
    if survey not in services.surveys_to_answer(teacher=teacher):
        messages.info(request, _("You have already answered this survey."))
        return redirect("training:mine")
    form = AnswerForm(request.POST or None, questions=services.questions_of(survey))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(survey=survey, teacher=teacher, answers=form.answers())
        except ValidationError as exc:
            messages.info(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your answers were saved, without your name."))
        return redirect("training:mine")
    return render(request, "training/needs_answer.html", {"survey": survey, "form": form})


urlpatterns = [
    path("needs/", needs_list, name="needs_list"),
    path("needs/new/", needs_new, name="needs_new"),
    path("needs/<id:pk>/", needs_detail, name="needs"),
    path("needs/<id:pk>/questions/", needs_question_add, name="needs_question_add"),
    path("needs/<id:pk>/questions/remove/", needs_question_remove, name="needs_question_remove"),
    path("needs/<id:pk>/close/", needs_close, name="needs_close"),
    path("needs/<id:pk>/export/", needs_export, name="needs_export"),
    path("needs/<id:pk>/answer/", needs_answer, name="needs_answer"),
]
