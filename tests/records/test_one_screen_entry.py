"""One-screen entry: a record with its files in one POST, photos and recordings, the same
file refused twice, "save and submit" with the files, and withdrawing a submitted record."""

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from records.models import Attachment, AuditEntry, OpenClass, Record, Status
from records.services.files import attachment_add
from records.services.workflow import record_submit, record_verify, record_withdraw
from tests.factories import TrainingFactory
from tests.records.test_files import docx_bytes, pdf_bytes, png_bytes

NEW = reverse("records:new", args=["open_class"])
CLASS = {
    "class_kind": "demonstration", "level": "1", "starts_at": "2025-11-05T09:00",
    "place": "三楼录播教室", "subject": "语文", "grade_class": "四年级（2）班",
    "topic": "《落花生》",
}  # fmt: skip


def mp4_bytes(size: int = 256) -> bytes:
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return head + b"\x00" * (size - len(head))


def files(*items):
    return [SimpleUploadedFile(name, content) for name, content in items]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def en(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def author(teacher_user, en, login):
    return login(teacher_user)


def test_the_entry_page_offers_several_files_at_once_in_the_same_form(author):
    page = author.get(NEW).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="files"' in page and " multiple " in page
    assert page.count("<form") - page.count('action="/i18n') >= 1
    assert ".mp4" in page and "Classroom recording" in page


def test_save_and_submit_keeps_the_files_chosen_with_the_record(author, media):
    """Before, "save and submit" sent the record for verification without its files."""
    chosen = files(("教学设计.docx", docx_bytes()), ("板书.png", png_bytes()))
    response = author.post(NEW, {**CLASS, "files": chosen, "save_submit": "1"}, follow=True)
    record = OpenClass.objects.get()
    assert record.status == Status.SUBMITTED
    names = {a.original_name: a.role for a in record.attachments.all()}
    assert names == {"教学设计.docx": Attachment.Role.OTHER, "板书.png": Attachment.Role.PHOTO}
    assert "Saved and submitted for verification. 2 files attached." in response.content.decode()
    actions = list(record.audit_entries.values_list("action", flat=True))
    assert actions == ["created", "file_added", "file_added", "submitted"]


def test_a_classroom_recording_is_accepted_within_its_own_limit(author, settings):
    settings.RECORD_UPLOAD_MAX_MB = 1
    settings.RECORD_VIDEO_MAX_MB = 2
    video = mp4_bytes(1024 * 1024 + 10)  # over the documents' limit, within the videos'
    author.post(NEW, {**CLASS, "files": files(("实录.mp4", video)), "save": "1"})
    attachment = Attachment.objects.get()
    assert attachment.role == Attachment.Role.VIDEO
    assert attachment.content_type == "video/mp4"


def test_a_recording_over_its_limit_or_a_fake_one_is_refused_and_nothing_is_saved(
    author, settings, media
):
    settings.RECORD_VIDEO_MAX_MB = 1
    response = author.post(
        NEW, {**CLASS, "files": files(("实录.mp4", mp4_bytes(1024 * 1024 + 1))), "save": "1"}
    )
    assert "files may be at most 1.0\xa0MB" in response.content.decode()
    response = author.post(NEW, {**CLASS, "files": files(("实录.mp4", pdf_bytes())), "save": "1"})
    assert "is not really a mp4 file" in response.content.decode()
    assert not Record.objects.exists() and not Attachment.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_a_photo_must_be_a_picture(teacher_user):
    draft = TrainingFactory(teacher=teacher_user.teacher)
    with pytest.raises(ValidationError, match="only these file types"):
        attachment_add(
            record=draft,
            upload=SimpleUploadedFile("照片.pdf", pdf_bytes()),
            role=Attachment.Role.PHOTO,
            by=teacher_user,
        )


def test_one_bad_file_keeps_back_the_others_and_the_record(author, media):
    chosen = files(("教学设计.pdf", pdf_bytes()), ("病毒.exe", b"MZ" + b"\x00" * 64))
    response = author.post(NEW, {**CLASS, "files": chosen, "save_submit": "1"})
    assert response.status_code == 200
    assert not Record.objects.exists() and not Attachment.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))
    page = response.content.decode()
    assert "病毒.exe: only these file types may be uploaded" in page
    assert "please choose them again" in page
    form = response.context["form"]
    assert form["topic"].value() == "《落花生》" and form["place"].value() == "三楼录播教室"


def test_a_field_error_keeps_the_other_fields_and_says_the_files_must_be_chosen_again(author):
    data = {**CLASS, "place": "", "files": files(("教学设计.pdf", pdf_bytes()))}
    response = author.post(NEW, {**data, "save": "1"})
    form = response.context["form"]
    assert form.errors["place"]
    assert form["topic"].value() == "《落花生》" and form["grade_class"].value() == "四年级（2）班"
    assert "please choose them again" in response.content.decode()
    assert not Record.objects.exists()


def test_the_same_file_twice_is_refused_by_name_and_size_or_by_content(author, teacher_user):
    same = files(("教学设计.pdf", pdf_bytes()), ("教学设计.pdf", pdf_bytes()))
    response = author.post(NEW, {**CLASS, "files": same, "save": "1"})
    assert "教学设计.pdf was chosen twice" in response.content.decode()
    renamed = files(("教学设计.pdf", pdf_bytes()), ("教学设计（副本）.pdf", pdf_bytes()))
    response = author.post(NEW, {**CLASS, "files": renamed, "save": "1"})
    assert "教学设计（副本）.pdf is already attached to this record (as 教学设计.pdf)" in (
        response.content.decode()
    )
    assert not Record.objects.exists()

    author.post(NEW, {**CLASS, "files": files(("教学设计.pdf", pdf_bytes())), "save": "1"})
    record = Record.objects.get()
    edit = reverse("records:edit", args=[record.pk])
    again = files(("教学设计.pdf", pdf_bytes()))
    response = author.post(edit, {**CLASS, "files": again, "save": "1"})
    assert "is already attached to this record" in response.content.decode()
    assert record.attachments.count() == 1


def test_a_removed_file_may_be_attached_again(teacher_user):
    draft = TrainingFactory(teacher=teacher_user.teacher)
    from records.services.files import attachment_remove

    first = attachment_add(
        record=draft, upload=files(("证书.pdf", pdf_bytes()))[0], role="", by=teacher_user
    )
    attachment_remove(attachment=first, by=teacher_user)
    again = attachment_add(
        record=draft, upload=files(("证书.pdf", pdf_bytes()))[0], role="", by=teacher_user
    )
    assert again.pk != first.pk and again.sha256 == first.sha256


def test_more_files_than_the_limit_are_refused(author, settings):
    settings.RECORD_UPLOAD_MAX_FILES = 2
    chosen = files(*((f"{i}.pdf", pdf_bytes(i)) for i in range(3)))
    response = author.post(NEW, {**CLASS, "files": chosen, "save": "1"})
    assert "Choose at most 2 files at once." in response.content.decode()
    assert not Record.objects.exists()


def test_the_edit_page_lists_the_files_already_attached(author, teacher_user):
    author.post(NEW, {**CLASS, "files": files(("教学设计.pdf", pdf_bytes())), "save": "1"})
    record = Record.objects.get()
    page = author.get(reverse("records:edit", args=[record.pk])).content.decode()
    assert "教学设计.pdf" in page


# -- withdrawing ----------------------------------------------------------------------------
@pytest.fixture
def submitted(teacher_user):
    record = TrainingFactory(teacher=teacher_user.teacher)
    return record_submit(record=record, by=teacher_user)


def test_the_author_withdraws_a_submitted_record_and_the_trail_keeps_it(
    author, teacher_user, submitted
):
    detail = author.get(reverse("records:detail", args=[submitted.pk])).content.decode()
    assert reverse("records:withdraw", args=[submitted.pk]) in detail
    response = author.post(reverse("records:withdraw", args=[submitted.pk]), follow=True)
    submitted.refresh_from_db()
    assert submitted.status == Status.DRAFT and submitted.submitted_at is None
    assert "it is a draft again" in response.content.decode()
    entry = submitted.audit_entries.get(action=AuditEntry.Action.WITHDRAWN)
    assert entry.actor == teacher_user
    # a draft again: it may be changed and its files too
    attachment_add(
        record=submitted, upload=files(("a.pdf", pdf_bytes()))[0], role="", by=teacher_user
    )


def test_another_teacher_and_the_office_cannot_withdraw(submitted, training_office, login, school):
    from core.models import Role
    from tests.factories import TeacherFactory, user_with_role

    colleague = user_with_role(Role.TEACHER, school=school, username="colleague")
    TeacherFactory(school=school, user=colleague)
    for user in (colleague, training_office):
        with pytest.raises(PermissionDenied):
            record_withdraw(record=submitted, by=user)
    office_page = login(training_office).get(reverse("records:detail", args=[submitted.pk]))
    assert reverse("records:withdraw", args=[submitted.pk]) not in office_page.content.decode()
    assert (
        login(training_office).post(reverse("records:withdraw", args=[submitted.pk])).status_code
        == 403
    )
    assert (
        login(colleague).post(reverse("records:withdraw", args=[submitted.pk])).status_code == 404
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert not submitted.audit_entries.filter(action=AuditEntry.Action.WITHDRAWN).exists()


def test_a_verified_record_cannot_be_withdrawn(author, teacher_user, submitted, training_office):
    record_verify(record=submitted, by=training_office)
    with pytest.raises(ValidationError, match="只有待审核的记录可以撤回"):
        record_withdraw(record=submitted, by=teacher_user)
    page = author.get(reverse("records:detail", args=[submitted.pk])).content.decode()
    assert reverse("records:withdraw", args=[submitted.pk]) not in page
    response = author.post(reverse("records:withdraw", args=[submitted.pk]), follow=True)
    assert "only records awaiting verification can be withdrawn" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.VERIFIED
