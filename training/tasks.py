from celery import shared_task

from .reminders import reminders_send


@shared_task(name="training.send_session_reminders")
def send_session_reminders() -> int:
    """Scheduled daily (settings.CELERY_BEAT_SCHEDULE): remind the trainees of tomorrow's
    sessions. Each teacher and session is reminded once, so running it again is safe."""
    made, _emailed = reminders_send()
    return made
