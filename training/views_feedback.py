"""The organiser's feedback questions of a programme: the defaults until changed, a question
added, an unanswered one removed (an answered one retired, its aggregates kept)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.questions import QuestionForm, pick_question

from . import feedback, selectors


def feedback_questions(request, pk: int):
    programme = selectors.get_programme(user=request.user, pk=pk)
    can_edit = selectors.can_edit(request.user, programme)
    form = QuestionForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        programme = selectors.get_programme(user=request.user, pk=pk, write=True)
        if form.is_valid():
            try:
                feedback.question_add(programme=programme, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The question was added."))
                return redirect("training:feedback_questions", pk=pk)
    context = {
        "programme": programme,
        "questions": feedback.questions_of(programme),
        "can_edit": can_edit,
        "form": form,
    }
    return render(request, "training/feedback_questions.html", context)


@require_POST
def feedback_question_remove(request, pk: int):
    """POST ``question``: a question's id, or ``key:<key>`` for a default not yet written."""
    programme = selectors.get_programme(user=request.user, pk=pk, write=True)
    chosen = request.POST.get("question", "")
    questions = feedback.questions_ensure(programme=programme)
    target = pick_question(questions, chosen)
    if target is None:
        raise Http404
    feedback.question_remove(question=target, by=request.user)
    messages.success(request, _("The question was removed."))
    return redirect("training:feedback_questions", pk=pk)


urlpatterns = [
    path("<id:pk>/feedback/questions/", feedback_questions, name="feedback_questions"),
    path(
        "<id:pk>/feedback/questions/remove/",
        feedback_question_remove,
        name="feedback_question_remove",
    ),
]
