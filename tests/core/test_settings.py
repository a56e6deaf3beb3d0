import os
import subprocess
import sys

import pytest
from django.conf import settings

from core import jobs
from core.models import Job


def test_production_settings_pass_the_deploy_check():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k" * 20 + "-a-long-random-looking-production-secret-7f3a9",
        "ALLOWED_HOSTS": "gugan.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="x")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_jobs_run_in_a_thread_beside_the_request(settings, principal):
    """The quick start has no Redis: a submitted job still runs, without blocking."""
    settings.JOBS_INLINE = False
    settings.CELERY_BROKER_URL = None
    done = []
    jobs._HANDLERS["test_thread"] = lambda ctx: done.append(ctx.job.pk)
    try:
        job = Job.objects.create(kind="test_thread", requested_by=principal)
        future = jobs.job_dispatch(job_id=job.pk)
        assert future is not None
        future.result(timeout=30)
    finally:
        del jobs._HANDLERS["test_thread"]
    job.refresh_from_db()
    assert done == [job.pk] and job.status == Job.Status.DONE


WORKER_TASKS = """
import django
django.setup()
from config.celery import app
app.loader.import_default_modules()  # what a starting worker imports
print("\\n".join(app.tasks))
"""


def test_every_scheduled_task_is_known_to_a_starting_worker():
    # A fresh process, as the worker is: the tests themselves import every module.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", WORKER_TASKS],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    registered = set(result.stdout.split())
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - registered == set()


@pytest.mark.django_db
def test_a_password_hashed_before_argon2_still_logs_in_and_is_upgraded(client):
    """Production hashes with Argon2id; a PBKDF2 hash from before logs in as it always did and
    is rehashed with Argon2id on that login."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
    from django.test import override_settings
    from django.urls import reverse

    from config.settings import base
    from tests.factories import UserFactory

    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user = UserFactory(username="oldhash")
        user.password = make_password("旧密码-2019-long", hasher=PBKDF2PasswordHasher())
        user.save(update_fields=["password"])
        answer = client.post(
            reverse("login"), {"username": "oldhash", "password": "旧密码-2019-long"}
        )
        assert answer.status_code == 302 and answer.url == reverse("home")
        user.refresh_from_db()
        assert user.password.startswith("argon2$argon2id$")
        assert user.check_password("旧密码-2019-long")
