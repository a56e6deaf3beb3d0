import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


@pytest.fixture
def person():
    return UserFactory(username="liming", email="liming@school.example")


def ask(client, email, **headers):
    return client.post(reverse("password_reset"), {"email": email}, headers={**EN, **headers})


def test_the_login_page_links_to_the_reset():
    page = Client().get(reverse("login"), headers=EN)
    assert reverse("password_reset") in page.content.decode()
    assert "Forgot your password?" in page.content.decode()


def test_a_reset_link_by_email_sets_a_new_password(person):
    client = Client()
    response = ask(client, "LiMing@school.example")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["liming@school.example"]
    assert "liming" in message.body
    link = re.search(r"http://testserver(/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True, headers=EN)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": "Qingshan-2026!", "new_password2": "Qingshan-2026!"},
        headers=EN,
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password("Qingshan-2026!")
    # The link works once.
    again = client.get(link, follow=True, headers=EN)
    assert "no longer works" in again.content.decode()


def test_the_answer_never_says_whether_an_address_exists(person):
    known = ask(Client(), "liming@school.example")
    unknown = ask(Client(), "nobody@school.example")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_requests_are_throttled_per_address(person, settings):
    settings.PASSWORD_RESET_LIMIT = 2
    codes = [
        ask(Client(REMOTE_ADDR=f"10.0.0.{i}"), "liming@school.example").status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_requests_are_throttled_per_client_address_whatever_the_address(person, settings):
    settings.PASSWORD_RESET_IP_LIMIT = 2
    client = Client(REMOTE_ADDR="10.1.1.1")
    codes = [ask(client, f"guess{i}@school.example").status_code for i in range(2)]
    refused = ask(client, "liming@school.example")
    assert codes == [302, 302] and refused.status_code == 429
    assert "Too many reset requests" in refused.content.decode()
    assert mail.outbox == []
    # The refusal reads the same for an address nobody has.
    other = ask(client, "nobody@school.example")
    assert other.status_code == 429


def test_the_reset_pages_speak_chinese_by_default():
    page = Client().get(reverse("password_reset"))
    assert page.status_code == 200
    assert 'lang="zh-hans"' in page.content.decode() or "zh" in page.get("Content-Language", "")
