"""Make an API token for a user. The token is printed alone on the last line (scripts read it
with ``tail -n 1``) and is not kept: only its hash is stored."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.models import ApiToken
from api.tokens import token_create


class Command(BaseCommand):
    help = "Make an API token for USERNAME; the token is printed alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        parser.add_argument("--name", default="", help="What the token is for, shown to its user.")
        parser.add_argument(
            "--days",
            type=int,
            default=settings.API_TOKEN_DAYS,
            help="Days until it expires (default API_TOKEN_DAYS); 0: it never expires.",
        )

    def handle(self, *args, username, scope, name, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if days < 0:
            raise CommandError("--days cannot be negative.")
        expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
        try:
            token, raw = token_create(user=user, scope=scope, name=name, expires_at=expires_at)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        until = timezone.localtime(expires_at).strftime("%Y-%m-%d %H:%M") if expires_at else "never"
        self.stdout.write(
            f"Token {token.prefix}… for {user.username}, scope {scope}, expires {until}."
        )
        self.stdout.write("Keep it now: it cannot be shown again.")
        self.stdout.write(raw)
