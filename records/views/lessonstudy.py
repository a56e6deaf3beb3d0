"""Lesson studies (磨课, 同课异构): the list, a new study, and its rounds side by side."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.models import Role, School

from ..forms.lessonstudy import LessonStudyForm, RoundForm
from ..models import LessonStudy
from ..selectors import lessonstudy as selectors
from ..services import lessonstudy as services


def _starting_schools(user):
    scope = user.scope
    ids = scope.managed_school_ids | scope.school_ids_with({Role.TEACHER})
    return School.objects.filter(pk__in=ids).order_by("name")


def lesson_study_list(request):
    context = {
        "studies": selectors.lesson_study_list(user=request.user),
        "can_start": _starting_schools(request.user).exists(),
    }
    return render(request, "records/lessonstudy/list.html", context)


def lesson_study_new(request):
    schools = _starting_schools(request.user)
    if not schools.exists():
        raise PermissionDenied
    form = LessonStudyForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            study = services.lesson_study_create(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The lesson study was started: add its open classes."))
            return redirect("records:lesson_study", pk=study.pk)
    return render(request, "records/lessonstudy/form.html", {"form": form})


def lesson_study_detail(request, pk: int):
    study = selectors.get_lesson_study(user=request.user, pk=pk)
    can_edit = LessonStudy.objects.editable_by(request.user).filter(pk=study.pk).exists()
    classes = selectors.linkable_classes(study=study, user=request.user) if can_edit else None
    form = RoundForm(request.POST or None, classes=classes) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.lesson_study_round_add(study=study, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The open class was added as the next round."))
                return redirect("records:lesson_study", pk=pk)
    context = {
        "study": study,
        "rows": selectors.comparison(study=study, user=request.user),
        "criteria": CRITERIA_LABELS,
        "can_edit": can_edit,
        "form": form,
    }
    return render(request, "records/lessonstudy/detail.html", context)


@require_POST
def lesson_study_round_remove(request, pk: int, round_pk: int):
    study = selectors.get_lesson_study(user=request.user, pk=pk, write=True)
    round = get_object_or_404(study.rounds, pk=round_pk)
    services.lesson_study_round_remove(round=round, by=request.user)
    messages.success(request, _("The round was removed from the lesson study."))
    return redirect("records:lesson_study", pk=pk)


def _criteria_labels():
    from ..models import OpenClassEvaluation

    fields = {f.name: f.verbose_name for f in OpenClassEvaluation._meta.fields}
    return [(c, fields[c]) for c in selectors.CRITERIA]


CRITERIA_LABELS = _criteria_labels()

urlpatterns = [
    path("lesson-studies/", lesson_study_list, name="lesson_studies"),
    path("lesson-studies/new/", lesson_study_new, name="lesson_study_new"),
    path("lesson-studies/<id:pk>/", lesson_study_detail, name="lesson_study"),
    path(
        "lesson-studies/<id:pk>/rounds/<id:round_pk>/remove/",
        lesson_study_round_remove,
        name="lesson_study_round_remove",
    ),
]
