"""A photo upload cut off halfway (the phone left the Wi-Fi) leaves no attachment and no half
file; sent again as a whole it is attached once. Against the live server over a real socket,
since only a real connection can be cut in the middle of a request body."""

import io
import socket
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from records.models import Attachment
from tests.factories import TrainingFactory

pytestmark = pytest.mark.django_db(transaction=True)

CSRF = "a" * 32  # a cookie secret of the right length; the header carries it unmasked


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((800, 600), 64).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode() + content + f"\r\n--{boundary}\r\nContent-Disposition: form-data; " \
        f'name="role"\r\n\r\n\r\n--{boundary}--\r\n'.encode()  # fmt: skip
    return body, boundary


def post(live_server, path: str, session_id: str, body: bytes, boundary: str, *, cut: int = 0):
    """Send the upload; with ``cut`` only that many bytes of the body, then hang up."""
    host, port = live_server.thread.host, live_server.thread.port
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Cookie: sessionid={session_id}; csrftoken={CSRF}\r\nX-CSRFToken: {CSRF}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, port), timeout=20) as sock:
        sock.sendall(head + (body[:cut] if cut else body))
        if cut:
            sock.shutdown(socket.SHUT_WR)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return answer


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_upload_cut_off_halfway_leaves_nothing_and_the_retry_attaches_it_once(
    live_server, teacher_user, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    record = TrainingFactory(teacher=teacher_user.teacher)
    client = Client()
    client.force_login(teacher_user)
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    path = f"/records/{record.pk}/attachments/"
    content = photo_bytes()
    body, boundary = multipart("课堂照片.jpg", content)

    post(live_server, path, session_id, body, boundary, cut=len(body) // 2)
    time.sleep(0.5)  # the server notices the hang-up
    assert not Attachment.objects.exists()
    assert media_files() == []

    answer = post(live_server, path, session_id, body, boundary)
    assert answer.startswith(b"HTTP/1.1 302"), answer[:200]
    attachment = Attachment.objects.get()
    assert attachment.size == len(content)
    assert Path(attachment.file.path).read_bytes() == content
    assert media_files() == [Path(attachment.file.path)]
