"""Faults users meet: the job queue (Redis) down, the database connection dropped, an import
interrupted half-way. Each test checks what the user sees and that nothing is lost or doubled."""

import time
import uuid
from contextlib import contextmanager
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection
from django.test import override_settings
from django.urls import reverse

from core.models import Job
from teachers.models import Teacher
from tests.core.test_jobs import needs_worker, route_jobs_to, start_worker
from tests.factories import TeacherFactory
from tests.teachers.test_import_views import GOOD_ROWS, upload

CLOSED_PORT_BROKER = "redis://127.0.0.1:6390/0"  # nothing listens there


# -- the job queue is down ----------------------------------------------------------------------
@contextmanager
def broker_at(url: str):
    """Point the web side at the broker ``url``: the setting, and the Celery app, which read
    its configuration once (so it is read here first, before the setting changes)."""
    from config.celery import app

    def switch(to):
        # kombu keeps one pool per broker URL, so switching back finds the first one again.
        app.conf.broker_url = to
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    switch(url)
    try:
        with override_settings(CELERY_BROKER_URL=url):
            yield
    finally:
        switch(previous)


def request_a_roster_export(client, school) -> tuple[Job, float]:
    TeacherFactory.create_batch(3, school=school)
    started = time.monotonic()
    response = client.post(reverse("teachers:export"), {"query": ""})
    elapsed = time.monotonic() - started
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("job", args=[job.pk])
    return job, elapsed


def assert_queue_unavailable_is_shown(client, job: Job) -> None:
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "queue is unavailable" in job.error
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "The job queue is unavailable" in page
    assert reverse("job_retry", args=[job.pk]) in page


def test_with_the_queue_down_pages_work_a_request_fails_clearly_and_a_retry_runs_it(
    login, principal, school, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_INLINE = False
    principal.language = "en"
    principal.save()
    client = login(principal)
    with broker_at(CLOSED_PORT_BROKER):
        for name in ("home", "teachers:list", "jobs"):
            assert client.get(reverse(name)).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            job, elapsed = request_a_roster_export(client, school)
        assert elapsed < 15  # fails fast instead of hanging the page
        assert_queue_unavailable_is_shown(client, job)

    # The queue is back (here the in-process runner stands in for it; see the worker test).
    settings.JOBS_INLINE = True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.total == 3 and job.file
    assert Job.objects.count() == 1


@needs_worker
@pytest.mark.worker
def test_a_job_refused_while_redis_was_down_runs_on_the_worker_after_a_retry(
    request, transactional_db, tmp_path, settings, client, principal, school
):
    settings.JOBS_INLINE = False
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue, tmp_path)
    request.addfinalizer(lambda: (worker.terminate(), worker.wait(timeout=20)))
    route_jobs_to(request, queue)
    principal.language = "en"
    principal.save()
    client.force_login(principal)
    with broker_at(CLOSED_PORT_BROKER):
        job, _elapsed = request_a_roster_export(client, school)
        assert_queue_unavailable_is_shown(client, job)

    client.post(reverse("job_retry", args=[job.pk]))  # the real Redis and worker again
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert job.status == Job.Status.DONE, job.error
    assert job.total == 3 and job.file and Job.objects.count() == 1


# -- the database connection drops ----------------------------------------------------------------
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminates a PostgreSQL backend (CI sets one)"
)


class Server:
    """Django's WSGI application called in this thread, as gunicorn's sync worker calls it:
    unlike the test client it sends request_started/finished to close_old_connections, so the
    persistent connection (CONN_MAX_AGE) and its health check work as in production."""

    def __init__(self, client, user):
        client.force_login(user)
        name = django_settings.SESSION_COOKIE_NAME
        self.cookie = f"{name}={client.cookies[name].value}"
        self.app = WSGIHandler()

    def get(self, path: str) -> tuple[int, str]:
        environ: dict = {}
        setup_testing_defaults(environ)
        environ.update(PATH_INFO=path, HTTP_HOST="testserver", HTTP_COOKIE=self.cookie)
        status = []
        result = self.app(environ, lambda s, headers, exc_info=None: status.append(s))
        try:
            body = b"".join(result).decode()
        finally:
            result.close()
        return int(status[0].split()[0]), body


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid: int) -> None:
    """Kill one backend from a second connection, as a database restart or failover would."""
    import psycopg2

    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )
    other.autocommit = True
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0]
            for _ in range(50):  # the backend exits asynchronously
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    break
                time.sleep(0.05)
    finally:
        other.close()


@needs_postgresql
def test_a_connection_dropped_between_two_requests_is_replaced_without_an_error(
    transactional_db, client, principal
):
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    server = Server(client, principal)
    assert server.get(reverse("home"))[0] == 200
    before = backend_pid()  # the request's connection, kept open for the next one
    terminate(before)

    status, body = server.get(reverse("home"))
    assert status == 200 and reverse("jobs") in body
    assert backend_pid() != before


@needs_postgresql
def test_a_connection_dropped_during_a_request_gives_a_clean_error_page_then_recovers(
    transactional_db, client, principal
):
    server = Server(client, principal)
    assert server.get(reverse("home"))[0] == 200
    pid = backend_pid()
    queries = []

    def drop_on_the_fourth_query(execute, sql, params, many, context):
        queries.append(sql)
        if len(queries) == 4:
            terminate(pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_on_the_fourth_query):
        status, body = server.get(reverse("home"))
    assert status == 500 and len(queries) >= 4
    assert "Traceback" not in body and "OperationalError" not in body and "SELECT" not in body

    status, body = server.get(reverse("home"))
    assert status == 200 and reverse("jobs") in body


# -- an import interrupted half-way ---------------------------------------------------------------
@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_import_interrupted_half_way_saves_nothing_and_can_be_confirmed_again(
    login, principal, school, media_root, monkeypatch
):
    rows = GOOD_ROWS + [[f"B{i}", f"老师{i}", "女", "2010-09-01", "本科", "语文"] for i in range(5)]
    TeacherFactory(school=school, staff_no="A1", name="旧名字")  # one update among the creates
    principal.language = "en"
    principal.save()
    client = login(principal)
    assert upload(client, school, rows).context["result"].ok

    real_save = Teacher.save
    saved = []

    def fail_on_the_fourth_row(self, *args, **kwargs):
        saved.append(self.staff_no)
        if len(saved) == 4:
            raise OperationalError("server closed the connection unexpectedly")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Teacher, "save", fail_on_the_fourth_row)
    response = client.post(reverse("teachers:import_confirm"))
    assert response.status_code == 200 and len(saved) == 4
    assert "The import was interrupted and nothing was saved" in response.content.decode()
    assert reverse("teachers:import_confirm") in response.content.decode()
    assert list(Teacher.objects.values_list("staff_no", "name")) == [("A1", "旧名字")]

    monkeypatch.setattr(Teacher, "save", real_save)
    response = client.post(reverse("teachers:import_confirm"))
    assert response.status_code == 302 and response.url == reverse("teachers:list")
    staff = dict(Teacher.objects.values_list("staff_no", "name"))
    assert len(staff) == 7 and staff["A1"] == "王芳" and staff["B4"] == "老师4"
    assert not list((media_root / "imports").iterdir())  # the upload is gone once applied
