"""A removed attachment is removed for everyone (issue 12, "Also"): its file leaves storage, no
URL serves it (the download, the record's history, the data export), and only the metadata
stays: the name and size in the row, who removed it and when in the audit trail."""

import importlib
import io
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Job
from records.models import Attachment, AuditEntry
from records.services.files import attachment_add, attachment_remove
from records.services.workflow import record_submit
from tests.factories import TrainingFactory
from tests.html import visible_text

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def draft(teacher_user):
    return TrainingFactory(teacher=teacher_user.teacher, course="区级培训")


def attach(draft, teacher_user, name="培训证书.pdf", content=PDF):
    upload = SimpleUploadedFile(name, content)
    return attachment_add(record=draft, upload=upload, role="certificate", by=teacher_user)


@pytest.fixture
def removed(draft, teacher_user, django_capture_on_commit_callbacks):
    """A file attached, then removed by its author, and the record submitted."""
    kept = attach(draft, teacher_user, name="教学反思.pdf", content=PDF + b"% 2\n")
    attachment = attach(draft, teacher_user)
    stored = Path(attachment.file.path)
    assert stored.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, by=teacher_user)
    record_submit(record=draft, by=teacher_user)
    attachment.refresh_from_db()
    return {"attachment": attachment, "stored": stored, "kept": kept}


def download(client, attachment):
    return client.get(reverse("records:attachment_download", args=[attachment.pk]))


def test_removing_deletes_the_stored_file_and_keeps_name_size_who_and_when(
    removed, draft, teacher_user, django_capture_on_commit_callbacks
):
    attachment = removed["attachment"]
    assert not removed["stored"].exists()
    assert attachment.file.name == "" and attachment.removed_at is not None
    assert attachment.original_name == "培训证书.pdf" and attachment.size == len(PDF)
    entry = AuditEntry.objects.get(record_id=draft.pk, action=AuditEntry.Action.FILE_REMOVED)
    assert (entry.actor, entry.note, entry.changes["size"]) == (
        teacher_user,
        "培训证书.pdf",
        len(PDF),
    )
    # The other file is untouched.
    assert Path(removed["kept"].file.path).is_file()


def test_removing_twice_is_harmless(draft, teacher_user, django_capture_on_commit_callbacks):
    attachment = attach(draft, teacher_user)
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, by=teacher_user)
        attachment_remove(attachment=attachment, by=teacher_user)
    removals = AuditEntry.objects.filter(record_id=draft.pk, action=AuditEntry.Action.FILE_REMOVED)
    assert removals.count() == 1


@pytest.mark.parametrize(
    "who", ["teacher_user", "training_office", "principal", "committee_member", "outsider"]
)
def test_a_removed_file_is_not_found_for_anyone(request, removed, login, who):
    """The author (who removed it), the managers who verify, a reader, another school."""
    client = login(request.getfixturevalue(who))
    assert download(client, removed["attachment"]).status_code == 404


def test_the_kept_file_still_downloads_for_the_author_and_the_managers(
    removed, login, teacher_user, training_office, outsider
):
    assert download(login(teacher_user), removed["kept"]).status_code == 200
    assert download(login(training_office), removed["kept"]).status_code == 200
    assert download(login(outsider), removed["kept"]).status_code == 404


def test_the_history_names_the_removed_file_with_its_size_and_links_only_the_kept_one(
    removed, draft, login, training_office, teacher_user, committee_member
):
    attachment, kept = removed["attachment"], removed["kept"]
    removed_url = reverse("records:attachment_download", args=[attachment.pk])
    kept_url = reverse("records:attachment_download", args=[kept.pk])
    for page in (
        reverse("records:audit", args=[draft.pk]),
        reverse("records:detail", args=[draft.pk]),
    ):
        html = login(training_office).get(page).content.decode()
        assert "培训证书.pdf" in visible_text(html) and "77\xa0bytes" in visible_text(html)
        assert removed_url not in html
        assert kept_url in html
    # The author reads the history too; the committee may not.
    assert login(teacher_user).get(reverse("records:audit", args=[draft.pk])).status_code == 200
    response = login(committee_member).get(reverse("records:audit", args=[draft.pk]))
    assert response.status_code == 403


def test_the_data_export_lists_the_removed_file_but_does_not_contain_it(
    removed, school, principal, login, django_capture_on_commit_callbacks
):
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("data_export"), {"owner": f"school={school.pk}"})
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == Job.Status.DONE, job.error
    body = b"".join(client.get(reverse("job_download", args=[job.pk])).streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(body))
    files = [n for n in archive.namelist() if n.startswith("files/")]
    assert files == [n for n in files if "教学反思" in n] and len(files) == 1
    table = archive.read("csv/attachments.csv").decode("utf-8-sig")
    assert "培训证书.pdf" in table  # the metadata stays


def test_the_migration_deletes_the_files_of_attachments_removed_before(draft, teacher_user, media):
    attachment = attach(draft, teacher_user)
    kept = attach(draft, teacher_user, name="教学反思.pdf", content=PDF + b"% 2\n")
    stored = Path(attachment.file.path)
    # Removed the old way: the row hidden, the file left in storage.
    Attachment.objects.filter(pk=attachment.pk).update(removed_at=timezone.now())
    migration = importlib.import_module(
        "records.migrations.0004_removed_attachments_lose_their_files"
    )
    migration.purge_removed_files(apps, None)
    attachment.refresh_from_db()
    assert not stored.exists() and attachment.file.name == ""
    assert attachment.original_name == "培训证书.pdf"
    assert Path(kept.file.path).is_file()


def test_an_outsider_never_reaches_the_history(removed, draft, login, outsider):
    assert login(outsider).get(reverse("records:audit", args=[draft.pk])).status_code == 404
