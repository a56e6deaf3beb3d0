"""Attachments: what may be uploaded (by content, not name), who may add, remove and download
them, the headers of a download, and files that are never lost."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from core.models import Role
from records.models import Attachment, AuditEntry, Record, Status
from records.services.files import attachment_add, attachment_remove
from records.services.workflow import record_archive, record_submit, record_verify
from tests.factories import TeacherFactory, TrainingFactory, user_with_role


# -- sample files ---------------------------------------------------------------------------
def pdf_bytes(padding: int = 0) -> bytes:
    body = b"1 0 obj << /Type /Catalog >> endobj\n" + b"%" * padding + b"\n"
    return b"%PDF-1.4\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["姓名", "学时"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# -- fixtures -------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def draft(teacher_user):
    return TrainingFactory(teacher=teacher_user.teacher)


@pytest.fixture
def attached(draft, teacher_user):
    return attachment_add(
        record=draft,
        upload=upload("培训证书.pdf", pdf_bytes()),
        role="certificate",
        by=teacher_user,
    )


@pytest.fixture
def colleague(school):
    """A teacher at the same school, with a login: no business with other teachers' files."""
    user = user_with_role(Role.TEACHER, school=school, username="colleague")
    TeacherFactory(school=school, user=user)
    return user


def download(client, attachment):
    return client.get(reverse("records:attachment_download", args=[attachment.pk]))


# -- upload validation ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("教学设计.pdf", pdf_bytes(), "application/pdf"),
        ("课堂照片.PNG", png_bytes(), "image/png"),
        (
            "学时统计.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "教学反思.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_real_files_are_accepted_and_stored_under_a_random_name(
    draft, teacher_user, media, name, content, content_type
):
    attachment = attachment_add(
        record=draft, upload=upload(name, content), role="design", by=teacher_user
    )
    attachment.refresh_from_db()
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.uploaded_by == teacher_user
    stored = Path(attachment.file.path)
    assert stored.read_bytes() == content
    assert stored.is_relative_to(media)
    assert stored.name == attachment.token and name not in attachment.file.name
    entry = AuditEntry.objects.get(record_id=draft.pk, action=AuditEntry.Action.FILE_ADDED)
    assert entry.actor == teacher_user and entry.note == name
    assert entry.changes["attachment"] == attachment.pk


def test_an_executable_renamed_pdf_is_refused_with_a_clear_message(draft, teacher_user, media):
    with pytest.raises(ValidationError) as exc:
        attachment_add(record=draft, upload=upload("论文.pdf", EXE), role="other", by=teacher_user)
    assert exc.value.messages == [
        "论文.pdf is not really a pdf file. Save it again as pdf and upload that."
    ]
    assert not Attachment.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_a_text_file_is_refused(draft, teacher_user):
    with pytest.raises(ValidationError, match="only these file types may be uploaded"):
        attachment_add(
            record=draft, upload=upload("笔记.txt", b"hello"), role="other", by=teacher_user
        )


def test_an_oversized_file_is_refused(draft, teacher_user, settings):
    settings.RECORD_UPLOAD_MAX_MB = 1
    big = upload("大文件.pdf", pdf_bytes(padding=1024 * 1024))
    with pytest.raises(ValidationError, match="files may be at most 1"):
        attachment_add(record=draft, upload=big, role="other", by=teacher_user)
    assert not Attachment.objects.exists()


def test_an_unknown_role_is_refused_before_anything_is_stored(draft, teacher_user, media):
    with pytest.raises(ValidationError):
        attachment_add(
            record=draft, upload=upload("a.pdf", pdf_bytes()), role="secret", by=teacher_user
        )
    assert not any(p.is_file() for p in media.rglob("*"))


# -- who may change files -------------------------------------------------------------------
@pytest.mark.parametrize("who", ["principal", "training_office", "colleague"])
def test_only_the_author_adds_files(request, draft, who):
    with pytest.raises(PermissionDenied):
        attachment_add(
            record=draft,
            upload=upload("a.pdf", pdf_bytes()),
            role="other",
            by=request.getfixturevalue(who),
        )


def test_files_cannot_change_once_submitted(attached, draft, teacher_user):
    record_submit(record=draft, by=teacher_user)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        attachment_add(
            record=draft, upload=upload("b.pdf", pdf_bytes()), role="other", by=teacher_user
        )
    with pytest.raises(ValidationError):
        attachment_remove(attachment=attached, by=teacher_user)
    assert Attachment.objects.get(pk=attached.pk).removed_at is None


def test_removing_a_file_deletes_it_and_a_second_remove_is_harmless(
    attached, draft, teacher_user, django_capture_on_commit_callbacks
):
    stored = Path(attached.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attached, by=teacher_user)
        attachment_remove(attachment=attached, by=teacher_user)
    attached.refresh_from_db()
    assert attached.removed_at is not None
    assert not stored.exists()  # removed for everyone (tests/records/test_removed_files.py)
    removals = AuditEntry.objects.filter(record_id=draft.pk, action=AuditEntry.Action.FILE_REMOVED)
    assert [(e.actor, e.note) for e in removals] == [(teacher_user, "培训证书.pdf")]


def test_an_archived_record_keeps_its_files(attached, draft, teacher_user, login):
    record_archive(record=draft, by=teacher_user)
    assert Record.objects.get(pk=draft.pk).status == Status.ARCHIVED
    attached.refresh_from_db()
    assert attached.removed_at is None and Path(attached.file.path).is_file()
    assert download(login(teacher_user), attached).status_code == 200


def test_a_record_with_files_cannot_be_destroyed(attached, draft):
    with pytest.raises(ProtectedError):
        Record.objects.filter(pk=draft.pk).delete()
    assert Path(attached.file.path).is_file()


# -- views: upload and remove ---------------------------------------------------------------
def test_the_author_uploads_with_htmx_and_gets_the_refreshed_list(draft, teacher_user, login):
    client = login(teacher_user)
    response = client.post(
        reverse("records:attachment_add", args=[draft.pk]),
        {"file": upload("反思.pdf", pdf_bytes()), "role": "reflection"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/records/1/"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="attachments-{draft.pk}"' in body and "反思.pdf" in body
    assert Attachment.objects.get().role == "reflection"


def test_a_refused_upload_shows_the_reason_in_the_htmx_partial(draft, teacher_user, login):
    response = login(teacher_user).post(
        reverse("records:attachment_add", args=[draft.pk]),
        {"file": upload("论文.pdf", EXE), "role": "other"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "实际上不是pdf文件" in response.content.decode()  # zh-hans, the default language
    assert not Attachment.objects.exists()


def test_an_upload_without_htmx_goes_back_to_a_safe_next(draft, teacher_user, login):
    client = login(teacher_user)
    url = reverse("records:attachment_add", args=[draft.pk])
    response = client.post(url, {"file": upload("a.pdf", pdf_bytes()), "next": "/records/growth/"})
    assert response.status_code == 302 and response.url == "/records/growth/"
    response = client.post(
        url, {"file": upload("b.pdf", pdf_bytes(padding=1)), "next": "https://evil.example/"}
    )
    assert response.url == reverse("records:detail", args=[draft.pk])
    assert Attachment.objects.count() == 2


@pytest.mark.parametrize(("who", "status"), [("training_office", 404), ("colleague", 404)])
def test_others_cannot_upload_to_a_draft(request, draft, login, who, status):
    response = login(request.getfixturevalue(who)).post(
        reverse("records:attachment_add", args=[draft.pk]),
        {"file": upload("a.pdf", pdf_bytes()), "role": "other"},
    )
    assert response.status_code == status
    assert not Attachment.objects.exists()


def test_the_training_office_cannot_upload_to_a_submitted_record(
    draft, teacher_user, training_office, login
):
    record_submit(record=draft, by=teacher_user)
    response = login(training_office).post(
        reverse("records:attachment_add", args=[draft.pk]),
        {"file": upload("a.pdf", pdf_bytes()), "role": "other"},
    )
    assert response.status_code == 403


def test_the_author_removes_a_file_with_htmx(attached, teacher_user, login):
    response = login(teacher_user).post(
        reverse("records:attachment_remove", args=[attached.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "培训证书.pdf" not in response.content.decode()
    attached.refresh_from_db()
    assert attached.removed_at is not None


def test_only_the_author_removes_files(attached, draft, teacher_user, principal, login):
    record_submit(record=draft, by=teacher_user)
    response = login(principal).post(reverse("records:attachment_remove", args=[attached.pk]))
    assert response.status_code == 403
    assert Attachment.objects.get(pk=attached.pk).removed_at is None


# -- views: download ------------------------------------------------------------------------
def test_the_author_downloads_with_safe_headers(attached, teacher_user, login):
    response = download(login(teacher_user), attached)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E5%9F%B9%E8%AE%AD%E8%AF%81%E4%B9%A6.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Cache-Control"] == "private"


@pytest.mark.parametrize("who", ["training_office", "principal", "committee_member"])
def test_the_schools_staff_download_files_of_a_submitted_record(
    request, attached, draft, teacher_user, login, who
):
    record_submit(record=draft, by=teacher_user)
    response = download(login(request.getfixturevalue(who)), attached)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_another_schools_principal_gets_404_by_url(
    attached, draft, teacher_user, training_office, outsider, login
):
    record_submit(record=draft, by=teacher_user)
    record_verify(record=draft, by=training_office)
    assert download(login(outsider), attached).status_code == 404


@pytest.mark.parametrize("who", ["colleague", "training_office"])
def test_a_drafts_file_is_404_for_anyone_but_its_author(request, attached, login, who):
    assert download(login(request.getfixturevalue(who)), attached).status_code == 404


def test_a_colleague_cannot_download_a_submitted_records_file_either(
    attached, draft, teacher_user, colleague, login
):
    record_submit(record=draft, by=teacher_user)
    assert download(login(colleague), attached).status_code == 404


def test_a_removed_file_is_not_downloadable_even_by_the_schools_managers(
    attached, draft, teacher_user, training_office, login
):
    attachment_remove(attachment=attached, by=teacher_user)
    record_submit(record=draft, by=teacher_user)
    assert download(login(teacher_user), attached).status_code == 404
    assert download(login(training_office), attached).status_code == 404


def test_downloads_are_get_only(attached, teacher_user, login):
    response = login(teacher_user).post(reverse("records:attachment_download", args=[attached.pk]))
    assert response.status_code == 405
