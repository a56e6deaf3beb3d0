"""The session calendar: a month grid (a list by day on phones) of the published sessions a
user may see: an organiser's programmes' sessions, a teacher's enrolled sessions. And a
teacher's sessions as an iCalendar file for their phone's calendar."""

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.files import content_disposition
from records.services.calendar import Month, month_days

from . import selectors
from .models import Session


def calendar_sessions(*, user, month: Month):
    """The month's published sessions the user sees, with their programme: one query."""
    start, end = month.first_day, month.next.first_day
    if selectors.sees_programmes(user):
        sessions = Session.objects.visible_to(user).published()
    else:
        teacher = selectors.own_teacher(user)
        if teacher is None:
            raise Http404
        sessions = selectors.my_sessions(teacher=teacher)
    return list(
        sessions.filter(date__gte=start, date__lt=end)
        .select_related("programme__school", "programme__district", "speaker_teacher")
        .order_by("date", "starts_at", "pk")
    )


@require_GET
def session_calendar(request):
    user = request.user
    month = Month.parse(request.GET.get("month"))
    sessions = calendar_sessions(user=user, month=month)
    organiser = selectors.sees_programmes(user)
    for s in sessions:
        s.link = (
            reverse("training:register", args=[s.pk]) if organiser else reverse("training:mine")
        )
    context = {
        "month": month,
        "sessions": sessions,
        "weeks": month_days(month=month, items=sessions, day_of=lambda s: s.date, key="sessions"),
        "is_teacher": selectors.own_teacher(user) is not None,
    }
    return render(request, "training/calendar.html", context)


def _ics_text(value: str) -> str:
    """RFC 5545 text: backslash, semicolon, comma and newlines escaped."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _ics_time(day: datetime.date, time: datetime.time) -> str:
    moment = datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


@require_GET
def my_sessions_ics(request):
    """The teacher's enrolled published sessions, for a calendar app."""
    teacher = selectors.own_teacher(request.user)
    if teacher is None:
        raise Http404
    sessions = selectors.my_sessions(teacher=teacher).order_by("date", "starts_at", "pk")
    host = request.get_host().split(":")[0] or "gugan"
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Gugan//training//ZH"]
    for s in sessions:
        lines += [
            "BEGIN:VEVENT",
            f"UID:training-session-{s.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ics_time(s.date, s.starts_at)}",
            f"DTEND:{_ics_time(s.date, s.ends_at)}",
            f"SUMMARY:{_ics_text(s.theme)}",
            f"DESCRIPTION:{_ics_text(s.programme.title)}",
            *([f"LOCATION:{_ics_text(s.place)}"] if s.place else []),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    body = "\r\n".join(lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition("training.ics")
    return response


urlpatterns = [
    path("calendar/", session_calendar, name="calendar"),
    path("calendar/mine.ics", my_sessions_ics, name="calendar_ics"),
]
