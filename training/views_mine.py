"""The teacher's *My training*: sessions to come, today's sign-in, past attendance, hours."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import school_year_start
from core.questions import AnswerForm
from records.hours import hours_for

from . import applications, certificates, feedback, selectors
from .models import Attendance, Session
from .needs import services as needs


def my_training(request):
    teacher = selectors.own_teacher(request.user)
    if teacher is None:
        raise Http404
    today = timezone.localdate()
    sessions = list(selectors.my_sessions(teacher=teacher))
    for session in sessions:
        session.line = session.mine[0] if session.mine else None
    context = {
        "teacher": teacher,
        "today_sessions": [s for s in sessions if s.date == today],
        "upcoming": [s for s in sessions if s.date > today],
        "past": [s for s in sessions if s.date < today][::-1],
        "feedback_due": feedback.sessions_awaiting_feedback(teacher=teacher, sessions=sessions),
        "places_lost": list(selectors.places_lost(teacher=teacher)),
        "surveys": needs.surveys_to_answer(teacher=teacher),
        "open_programmes": applications.open_programmes(teacher=teacher, today=today),
        "applications": list(applications.my_applications(teacher=teacher)),
        "hours": hours_for(teacher=teacher, year=school_year_start(today)),
    }
    return render(request, "training/mine.html", context)


def feedback_page(request, pk: int):
    """The anonymous feedback form of a session the teacher attended."""
    teacher = selectors.own_teacher(request.user)
    session = (
        Session.objects.published()
        .filter(
            pk=pk,
            attendances__teacher=teacher,
            attendances__status__in=Attendance.ATTENDED,
        )
        .select_related("programme")
        .first()
        if teacher
        else None
    )
    if session is None:
        raise Http404
    if not feedback.may_give_feedback(session=session, teacher=teacher):
        messages.info(request, _("You have already given your feedback on this session."))
        return redirect("training:mine")
    questions = feedback.questions_ensure(programme=session.programme)
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.feedback_give(session=session, teacher=teacher, answers=form.answers())
        except ValidationError as exc:
            messages.info(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your feedback was saved, without your name."))
        return redirect("training:mine")
    return render(request, "training/feedback.html", {"session": session, "form": form})


@login_not_required
def certificate_check_page(request):
    """Public: whether the certificate with this serial is valid or revoked, nothing else."""
    serial = request.GET.get("serial", "").strip().upper()[:24]
    context = {"serial": serial, "certificate": certificates.certificate_check(serial)}
    return render(request, "training/certificate_check.html", context)


urlpatterns = [
    path("certificates/check/", certificate_check_page, name="certificate_check"),
    path("mine/", my_training, name="mine"),
    path("sessions/<id:pk>/feedback/", feedback_page, name="feedback"),
]
