"""The teacher's *My training*: sessions to come, today's sign-in, past attendance, hours."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from core.models import school_year_start
from records.hours import hours_for

from . import selectors


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
        "places_lost": list(selectors.places_lost(teacher=teacher)),
        "hours": hours_for(teacher=teacher, year=school_year_start(today)),
    }
    return render(request, "training/mine.html", context)


urlpatterns = [path("mine/", my_training, name="mine")]
