"""The Celery app. With REDIS_URL set, Redis is the broker; without it jobs run in-process
(see core.jobs), so a newcomer's laptop needs no server."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("gugan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
