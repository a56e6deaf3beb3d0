from celery import shared_task

from .services.duties import duty_digest_send, duty_reminders_send


@shared_task(name="assessment.send_duty_reminders")
def send_duty_reminders() -> int:
    """Scheduled daily (settings.CELERY_BEAT_SCHEDULE): remind teachers of duties whose period
    ends soon. Each teacher, duty and period is reminded once, so running it often is safe."""
    return duty_reminders_send()


@shared_task(name="assessment.send_duty_digest")
def send_duty_digest() -> int:
    """Scheduled weekly: tell each school's training office who is behind."""
    return duty_digest_send()


@shared_task(name="assessment.lock_expired_rounds")
def lock_expired_rounds() -> int:
    """Posted results lock once their notice period is over."""
    from .services.rounds import rounds_lock_expired

    return rounds_lock_expired()
