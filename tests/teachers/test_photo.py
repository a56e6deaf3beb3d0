"""The teacher's photo: uploaded on the profile form with the same content checks as
record attachments, and printed on the dossier when there is one."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from teachers.models import Teacher
from tests.factories import TeacherFactory


def png(size=(60, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def target(school, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return TeacherFactory(school=school, name="王芳", staff_no="A1")


def form_data(teacher, **extra):
    data = {
        "staff_no": teacher.staff_no, "name": teacher.name, "gender": "F",
        "career_start": "2012-09-01", "education": 3, "title": 3, "subject": "语文",
        "is_active": "on",
    }  # fmt: skip
    return {**data, **extra}


def test_the_office_uploads_a_photo_stored_under_a_random_name(login, training_office, target):
    photo = SimpleUploadedFile("../../我的照片.png", png(), content_type="image/png")
    response = login(training_office).post(
        reverse("teachers:edit", args=[target.pk]), form_data(target, photo=photo)
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.photo.name.startswith(f"teachers/{target.school_id}/")
    assert target.photo.name.endswith(".png") and "照片" not in target.photo.name
    assert target.photo.read() == png()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("photo.png", b"%PDF-1.4 not a picture", "not really a png"),
        ("photo.gif", b"GIF89a", "only these file types"),
        ("photo.png", png((3000, 3000)) + b"\0" * (3 * 1024 * 1024), "at most"),
    ],
)
def test_a_bad_photo_gets_a_field_error(login, training_office, target, name, content, message):
    client = login(training_office)
    client.cookies["django_language"] = "en"
    photo = SimpleUploadedFile(name, content)
    response = client.post(
        reverse("teachers:edit", args=[target.pk]),
        form_data(target, photo=photo),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["photo"])
    assert not Teacher.objects.get(pk=target.pk).photo


def test_a_committee_member_cannot_change_a_photo(login, committee_member, target):
    photo = SimpleUploadedFile("photo.png", png())
    response = login(committee_member).post(
        reverse("teachers:edit", args=[target.pk]), form_data(target, photo=photo)
    )
    assert response.status_code in (403, 404)
    assert not Teacher.objects.get(pk=target.pk).photo
