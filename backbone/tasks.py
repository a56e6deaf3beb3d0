from celery import shared_task

from .services.designations import designations_expire


@shared_task(name="backbone.expire_designations")
def expire_designations() -> int:
    """Scheduled (settings.CELERY_BEAT_SCHEDULE): close designations whose term has ended.
    Reads do not depend on it; it keeps the stored status true."""
    return designations_expire()
