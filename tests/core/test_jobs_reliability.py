import pytest
from django.db import OperationalError
from django.urls import reverse

from core import jobs
from core.models import Job


@pytest.fixture
def handler():
    """A job kind whose behaviour each test sets: ``failures`` database errors first."""
    state = {"calls": 0, "failures": 0}

    def run(ctx):
        state["calls"] += 1
        ctx.set_total(4)
        ctx.advance(2, text="2 / 4 teachers")
        if state["calls"] <= state["failures"]:
            raise OperationalError("server closed the connection unexpectedly")
        ctx.advance(2)
        ctx.output_path("out.txt").write_text("好", encoding="utf-8")

    jobs._HANDLERS["test_reliable"] = run
    yield state
    del jobs._HANDLERS["test_reliable"]


def create(user, capture, **kwargs):
    with capture(execute=True):
        job = jobs.job_create(kind="test_reliable", requested_by=user, params={}, **kwargs)
    job.refresh_from_db()
    return job


def test_a_transient_database_error_is_retried_and_completes_once(
    principal, handler, django_capture_on_commit_callbacks
):
    handler["failures"] = 1
    job = create(principal, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE and handler["calls"] == 2
    assert job.attempts == 2 and job.size == len("好".encode())
    assert job.file.read().decode() == "好"


def test_a_database_that_stays_down_fails_the_job_with_a_message(
    principal, handler, django_capture_on_commit_callbacks, settings
):
    handler["failures"] = 99
    job = create(principal, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert handler["calls"] == settings.JOB_MAX_ATTEMPTS
    # The message is in the requester's language (zh-hans by default).
    assert (
        "数据库" in job.error or "database" in job.error.lower()
    ) and "Traceback" not in job.error


def test_the_same_fingerprint_returns_the_finished_job(
    principal, handler, django_capture_on_commit_callbacks
):
    first = create(principal, django_capture_on_commit_callbacks, fingerprint="abc")
    again = create(principal, django_capture_on_commit_callbacks, fingerprint="abc")
    assert again.pk == first.pk and handler["calls"] == 1
    other = create(principal, django_capture_on_commit_callbacks, fingerprint="abd")
    assert other.pk != first.pk


def test_another_users_job_is_not_reused(
    principal, training_office, handler, django_capture_on_commit_callbacks
):
    first = create(principal, django_capture_on_commit_callbacks, fingerprint="abc")
    theirs = create(training_office, django_capture_on_commit_callbacks, fingerprint="abc")
    assert theirs.pk != first.pk


def test_a_failed_job_with_the_fingerprint_is_not_reused(
    principal, handler, django_capture_on_commit_callbacks
):
    handler["failures"] = 99
    first = create(principal, django_capture_on_commit_callbacks, fingerprint="abc")
    handler["failures"] = 0
    second = create(principal, django_capture_on_commit_callbacks, fingerprint="abc")
    assert first.status == Job.Status.FAILED and second.status == Job.Status.DONE


def test_regenerate_makes_a_new_file_from_the_same_parameters(
    login, principal, handler, django_capture_on_commit_callbacks
):
    first = create(principal, django_capture_on_commit_callbacks, fingerprint="abc")
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("job_regenerate", args=[first.pk]))
    new = Job.objects.exclude(pk=first.pk).get()
    assert response.url == reverse("job", args=[new.pk])
    assert new.status == Job.Status.DONE and new.fingerprint == "abc"


def test_a_duplicated_message_after_completion_keeps_one_file(
    principal, handler, django_capture_on_commit_callbacks
):
    job = create(principal, django_capture_on_commit_callbacks)
    name = job.file.name
    jobs.job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.file.name == name and handler["calls"] == 1


def test_the_progress_fragment_shows_the_step_and_percent(login, principal):
    job = Job.objects.create(
        kind="test_reliable",
        requested_by=principal,
        status=Job.Status.RUNNING,
        total=80,
        progress=12,
        step="12 / 80 teachers",
    )
    fragment = login(principal).get(reverse("job", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "12 / 80 teachers" in html and "15%" in html


def test_a_removed_file_is_a_404_not_an_error(
    login, principal, handler, django_capture_on_commit_callbacks
):
    job = create(principal, django_capture_on_commit_callbacks)
    job.file.storage.delete(job.file.name)
    assert login(principal).get(reverse("job_download", args=[job.pk])).status_code == 404


def test_the_jobs_page_lists_requester_parameters_and_size(
    login, principal, handler, django_capture_on_commit_callbacks
):
    create(principal, django_capture_on_commit_callbacks)
    page = login(principal).get(reverse("jobs")).content.decode()
    assert "principal" in page and ("bytes" in page or "字节" in page)


@pytest.fixture
def in_test_transaction(monkeypatch):
    """The runner normally starts in a pool thread with a fresh connection; here it runs in
    the test's own transaction, whose connection it must not close."""
    monkeypatch.setattr(jobs.running, "close_old_connections", lambda: None)


def queued(user, capture):
    """A job row whose enqueueing (on commit) never ran: the test runs it by hand."""
    with capture(execute=False):
        job = jobs.job_create(kind="test_reliable", requested_by=user, params={})
    return job


def test_the_in_process_runner_retries_a_transient_database_error(
    principal, handler, django_capture_on_commit_callbacks, in_test_transaction
):
    handler["failures"] = 1
    job = queued(principal, django_capture_on_commit_callbacks)

    jobs._run_with_retries(job.pk, delays=(0, 0))

    job.refresh_from_db()
    assert job.status == Job.Status.DONE and handler["calls"] == 2
    assert job.file.read().decode() == "好"


def test_the_in_process_runner_gives_up_with_a_message_not_a_queued_job(
    principal, handler, django_capture_on_commit_callbacks, settings, in_test_transaction
):
    handler["failures"] = 99
    job = queued(principal, django_capture_on_commit_callbacks)

    jobs._run_with_retries(job.pk, delays=(0, 0))

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED  # not left "queued" with its page polling forever
    assert handler["calls"] == settings.JOB_MAX_ATTEMPTS
    assert job.error and "Traceback" not in job.error
