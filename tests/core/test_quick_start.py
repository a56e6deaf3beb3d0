"""`make run`: the quick start's settings, its secret key and its error pages."""

import importlib
import stat

import pytest
from django.test import Client

from config.secret_key import secret_key_from_file


def test_the_secret_key_is_generated_once_and_kept(tmp_path):
    path = tmp_path / "var" / "secret_key"

    first = secret_key_from_file(path)
    again = secret_key_from_file(path)

    assert first == again
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key_from_file(tmp_path / "other") != first


def test_an_empty_key_file_gets_a_new_key(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("\n")

    key = secret_key_from_file(path)

    assert key and path.read_text().strip() == key


def test_the_quick_start_runs_without_debug_and_with_a_stored_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DEBUG", "true")  # the quick start ignores it: make dev is for that
    base = importlib.import_module("config.settings.base")
    monkeypatch.setattr(base, "VAR_DIR", tmp_path)

    run = importlib.reload(importlib.import_module("config.settings.run"))

    assert run.DEBUG is False
    assert (tmp_path / "secret_key").read_text().strip() == run.SECRET_KEY
    assert run.SECRET_KEY != base.SECRET_KEY
    assert "Manifest" in run.STORAGES["staticfiles"]["BACKEND"]
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in run.MIDDLEWARE


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, heading, back",
    [("zh-hans", "页面不存在", "返回首页"), ("en", "Page not found", "Back to the start page")],
)
def test_an_unknown_address_shows_gugans_own_page_without_the_url_list(
    principal, language, heading, back
):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(principal)
    client.cookies["django_language"] = language

    response = client.get("/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert heading in page and back in page
    for internal in ("URLconf", "urlpatterns", "DEBUG = True", "Django tried these"):
        assert internal not in page
