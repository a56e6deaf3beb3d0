import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from api.models import ApiToken, token_hash
from api.tokens import token_create, token_revoke

pytestmark = pytest.mark.django_db


def run_api_token(*args) -> list[str]:
    out = io.StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue().splitlines()


def test_the_command_prints_the_token_alone_on_its_last_line_and_stores_only_its_hash(principal):
    lines = run_api_token("principal", "--scope", "hours", "--name", "继续教育平台")
    raw = lines[-1]
    assert " " not in raw and len(raw) >= 40
    token = ApiToken.objects.get(user=principal)
    assert token.key_hash == token_hash(raw) and raw not in token.key_hash
    assert token.scope == "hours" and token.name == "继续教育平台"
    assert token.expires_at is not None
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/schools/")
    assert response.status_code == 200


def test_the_command_refuses_the_hours_scope_to_a_teacher(teacher_user):
    with pytest.raises(CommandError):
        run_api_token("teacher", "--scope", "hours")
    assert not ApiToken.objects.exists()


def test_the_command_makes_a_token_without_expiry_on_request(principal):
    run_api_token("principal", "--days", "0")
    assert ApiToken.objects.get().expires_at is None


def test_no_token_or_a_wrong_one_is_a_401_with_the_scheme_named(principal):
    response = Client().get("/api/v1/schools/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    response = Client(headers={"Authorization": "Bearer not-a-token"}).get("/api/v1/schools/")
    assert response.status_code == 401


def test_a_revoked_token_gets_401_saying_so(principal):
    token, raw = token_create(user=principal)
    assert token_revoke(token=token) is True
    assert token_revoke(token=token) is False  # a second click changes nothing
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = client.get("/api/v1/schools/", headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has been revoked."


def test_an_expired_token_gets_401_saying_when_it_expired(principal):
    token, raw = token_create(user=principal, expires_at=timezone.now() + datetime.timedelta(1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get(
        "/api/v1/schools/", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 401
    assert response.json()["detail"].startswith("This token expired on ")


def test_a_token_of_a_deactivated_user_no_longer_works(principal):
    _token, raw = token_create(user=principal)
    principal.is_active = False
    principal.save()
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/schools/")
    assert response.status_code == 401


def test_using_a_token_notes_when_it_was_last_used(principal):
    token, raw = token_create(user=principal)
    Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/schools/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_requests_beyond_the_rate_are_refused_with_429(principal, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "api_read": "3/minute"}
    _token, raw = token_create(user=principal)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    codes = [client.get("/api/v1/schools/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_an_api_answer_sets_no_session_cookie(principal):
    _token, raw = token_create(user=principal)
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/schools/")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_a_signed_in_browser_is_not_an_api_client(login, principal):
    """Only tokens: a session cookie alone gets 401, so no page can be made to call the API."""
    assert login(principal).get("/api/v1/schools/").status_code == 401


def test_the_rate_is_counted_in_redis_so_every_worker_sees_it(principal, settings):
    """With CACHE_URL on Redis (production with several workers), the count lives in Redis:
    another connection (another worker) reads the same count. CI sets REDIS_URL."""
    import uuid

    from django.core.cache.backends.redis import RedisCache

    assert settings.REDIS_URL, "this test needs REDIS_URL (a real Redis)"
    prefix = f"api-throttle-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "api_read": "2/minute"}
    _token, raw = token_create(user=principal)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    codes = [client.get("/api/v1/schools/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    other_worker = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": prefix})
    key = f"throttle_api_read_{principal.pk}"
    assert len(other_worker.get(key)) == 2
    other_worker.delete(key)
