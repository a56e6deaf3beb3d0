"""File names built from user text (core.files): every download and archive member name."""

import urllib.parse

import pytest
from django.urls import reverse

from core.files import content_disposition, safe_filename
from records.models import Attachment
from records.services.files import attachment_add
from tests.factories import TrainingFactory
from tests.records.test_files import pdf_bytes, upload

# What a teacher's name or an upload's name may hold, and what must never reach a file name.
HOSTILE = ["../../x", "a/b\\c", "王\x00芳", "李\x08雪\n", "\u202efdp.exe", "CON", "..", " . "]


def offered_name(header: str) -> str:
    """The name a browser saves a download under."""
    if "filename*=utf-8''" in header:
        return urllib.parse.unquote(header.split("filename*=utf-8''", 1)[1])
    return header.split('filename="', 1)[1].removesuffix('"')


def assert_safe(name: str) -> None:
    assert name and name == name.strip(" .")
    assert not {"/", "\\", "\x00", "\x08", "\n", "\u202e"} & set(name)
    assert len(name.encode()) <= 150


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_becomes_one_plain_file_name(name):
    assert_safe(safe_filename(name))


def test_names_keep_their_chinese_and_their_extension():
    assert safe_filename("教师档案 王芳 W001.pdf") == "教师档案 王芳 W001.pdf"
    assert safe_filename("../../x.pdf") == "_.._x.pdf"
    assert safe_filename("CON.pdf") == "_CON.pdf"
    long = safe_filename("长" * 300 + ".pdf")
    assert long.endswith(".pdf") and long.startswith("长长")
    assert_safe(long)


def test_the_header_has_an_ascii_name_and_the_chinese_one_in_utf8():
    header = content_disposition("教师档案 ../王芳.pdf")
    assert header.startswith('attachment; filename="')
    assert offered_name(header) == "教师档案 .._王芳.pdf"
    assert content_disposition("roster.xlsx") == 'attachment; filename="roster.xlsx"'


@pytest.mark.parametrize("name", ["../../证书\x08.pdf", "长" * 250 + ".pdf", "a\\b/c\x00.pdf"])
def test_an_attachment_downloads_under_a_safe_name(login, teacher_user, name):

    record = TrainingFactory(teacher=teacher_user.teacher)
    attachment = attachment_add(
        record=record, upload=upload("证书.pdf", pdf_bytes()), role="certificate", by=teacher_user
    )
    # Names stored before uploads were cleaned, or written by another program.
    Attachment.objects.filter(pk=attachment.pk).update(original_name=name.replace("\x00", ""))
    response = login(teacher_user).get(reverse("records:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith("attachment;")
    offered = offered_name(header)
    assert_safe(offered)
    assert offered.endswith(".pdf")
