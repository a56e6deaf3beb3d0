"""The real Celery worker started by tests: test settings, but jobs go through the broker."""

import os

from .test import *  # noqa: F403

JOBS_INLINE = False
# Modules with test-only job kinds (e.g. tests.core.worker_jobs), comma-separated: the test that
# starts the worker names them, so production code never imports tests.
CELERY_IMPORTS = [name for name in os.environ.get("GUGAN_WORKER_IMPORTS", "").split(",") if name]
# A killed worker's job must look interrupted within seconds, not a minute.
JOB_HEARTBEAT_SECONDS = 0.5
