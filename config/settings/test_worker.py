"""The real Celery worker started by tests: test settings, but jobs go through the broker."""

from .test import *  # noqa: F403

JOBS_INLINE = False
