import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiToken, token_hash
from api.tokens import token_create

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def test_a_user_makes_a_token_and_sees_it_once(login, principal):
    client = login(principal)
    response = client.post(
        reverse("api_tokens"), {"name": "继续教育平台", "scope": "hours", "days": 90}, headers=EN
    )
    assert response.status_code == 200
    raw = response.context["new_token"]
    token = ApiToken.objects.get(user=principal)
    assert token.key_hash == token_hash(raw) and token.scope == "hours"
    assert raw in response.content.decode()
    # Listed afterwards by its first characters only.
    page = client.get(reverse("api_tokens"), headers=EN).content.decode()
    assert token.prefix in page and raw not in page and "继续教育平台" in page


def test_a_teacher_is_offered_the_read_scope_only(login, teacher_user):
    client = login(teacher_user)
    page = client.get(reverse("api_tokens"), headers=EN)
    assert [c[0] for c in page.context["form"].fields["scope"].choices] == ["read"]
    refused = client.post(reverse("api_tokens"), {"scope": "hours", "days": 30}, headers=EN)
    assert refused.status_code == 200 and refused.context["form"].errors
    assert not ApiToken.objects.exists()


def test_revoking_a_token_in_the_browser_shuts_the_api(login, principal):
    token, raw = token_create(user=principal)
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/v1/schools/").status_code == 200
    response = login(principal).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert api.get("/api/v1/schools/").status_code == 401
    page = login(principal).get(reverse("api_tokens"), headers=EN).content.decode()
    assert "Revoked" in page


def test_nobody_revokes_someone_elses_token(login, principal, committee_member, outsider):
    token, _raw = token_create(user=principal)
    for user in (committee_member, outsider):
        response = login(user).post(reverse("api_token_revoke", args=[token.pk]))
        assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_lists_only_ones_own_tokens(login, principal, committee_member):
    token_create(user=principal, name="校长的令牌")
    page = login(committee_member).get(reverse("api_tokens"), headers=EN).content.decode()
    assert "校长的令牌" not in page


def test_the_page_reads_in_constant_queries(login, principal, django_assert_max_num_queries):
    client = login(principal)
    for i in range(3):
        token_create(user=principal, name=f"t{i}")
    client.get(reverse("api_tokens"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("api_tokens"))
    for i in range(20):
        token_create(user=principal, name=f"u{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("api_tokens"))


def test_a_superuser_sees_tokens_in_the_admin_without_the_token(principal):
    from tests.factories import UserFactory

    token, raw = token_create(user=principal, name="平台")
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = admin.get(f"/admin/api/apitoken/{token.pk}/change/")
    assert page.status_code == 200
    assert token.prefix in page.content.decode() and raw not in page.content.decode()
