"""python manage.py training_reminders [--date YYYY-MM-DD]

Remind the trainees of the sessions on the day after --date (default: today), by email and
on their home page. Each teacher and session is reminded once: a second run sends nothing."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from training.reminders import reminders_send


class Command(BaseCommand):
    help = "Remind enrolled teachers of the sessions of the next day (once per session)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day of the run, YYYY-MM-DD (default: today)")

    def handle(self, *args, date: str | None = None, **opts):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"--date: not a date (YYYY-MM-DD): {date}") from exc
        made, emailed = reminders_send(today=today)
        self.stdout.write(f"{made} reminders, {emailed} emails")
