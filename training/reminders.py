"""The reminder the day before a session: every teacher enrolled in its programme hears of it
by email (when they have an address) and on their home page. Each teacher and session is
reminded once: the SessionReminder row is claimed before the email goes out, in the same
transaction, so a failed send is tried again at the next run and a second run sends nothing.
Run daily by Celery beat (settings.CELERY_BEAT_SCHEDULE) and by ``manage.py
training_reminders``."""

import datetime

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from teachers.models import Teacher

from .models import Enrolment, Session, SessionReminder


def _address(teacher: Teacher) -> str:
    return teacher.email or (teacher.user.email if teacher.user_id else "")


def _language(teacher: Teacher) -> str:
    return (teacher.user.language if teacher.user_id else "") or teacher.school.language


def sessions_on(day: datetime.date) -> QuerySet[Session]:
    return (
        Session.objects.published()
        .filter(date=day)
        .select_related("programme__school", "programme__district", "speaker_teacher")
    )


def reminders_send(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Remind the trainees of tomorrow's sessions (of the day after ``today``). Returns
    (reminders made, emails sent); a second run makes none."""
    today = today or timezone.localdate()
    made = emailed = 0
    for session in sessions_on(today + datetime.timedelta(days=1)):
        teachers = (
            Teacher.objects.filter(
                is_active=True,
                pk__in=Enrolment.objects.active()
                .filter(programme_id=session.programme_id)
                .values("teacher_id"),
            )
            .exclude(pk__in=SessionReminder.objects.filter(session=session).values("teacher_id"))
            .select_related("user", "school")
        )
        for teacher in teachers:
            sent = _remind(session, teacher)
            made += sent is not None
            emailed += bool(sent)
    return made, emailed


def _remind(session: Session, teacher: Teacher) -> bool | None:
    """None: someone reminded the teacher already; else whether an email went out."""
    address = _address(teacher)
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = SessionReminder.objects.create(
                    session=session, teacher=teacher, emailed=bool(address)
                )
        except IntegrityError:  # a second run at the same time claimed it
            return None
        if address:
            with translation.override(_language(teacher)):
                subject = _("Training tomorrow: %(theme)s") % {"theme": session.theme}
                body = render_to_string(
                    "training/email/reminder.txt", {"session": session, "teacher": teacher}
                )
            send_mail(subject, body, None, [address])
        return reminder.emailed


def upcoming_reminders(*, teacher: Teacher, today: datetime.date | None = None):
    """The reminders the teacher's home shows: sessions reminded of that are not over yet."""
    today = today or timezone.localdate()
    return (
        SessionReminder.objects.filter(teacher=teacher, session__date__gte=today)
        .select_related("session__programme")
        .order_by("session__date", "session__starts_at", "pk")
    )
