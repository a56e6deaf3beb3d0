"""Throwaway Django projects: a CAS server (django-cas-server) and an OpenID provider
(django-oauth-toolkit), each with the people of the directory as users."""

import os
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from .process import PASSWORD, PEOPLE, Server, free_port, run, start

# -- throwaway Django projects -------------------------------------------------------------------
SETTINGS = """\
from pathlib import Path
BASE = Path(__file__).resolve().parent
SECRET_KEY = "throwaway"
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "django.contrib.staticfiles", {apps}
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "project.urls"
TEMPLATES = [{{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE / "templates"], "APP_DIRS": True,
    "OPTIONS": {{"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]}},
}}]
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": BASE / "db.sqlite3"}}}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
STATIC_URL = "static/"
USE_TZ = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Its own cookie names: browsers share cookies between ports of one host.
SESSION_COOKIE_NAME = "{name}_session"
CSRF_COOKIE_NAME = "{name}_csrf"
"""


def django_project(
    folder: Path, name: str, apps: list[str], settings: str, urls: str, files: dict | None = None
) -> Path:
    """A Django project in folder/project (and files, by path in folder), database migrated."""
    package = folder / "project"
    package.mkdir(parents=True)
    for path, text in (files or {}).items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)
    (package / "__init__.py").write_text("")
    listed = " ".join(f'"{app}",' for app in apps)
    (package / "settings.py").write_text(SETTINGS.format(apps=listed, name=name) + settings)
    (package / "urls.py").write_text(urls)
    (folder / "manage.py").write_text(
        "import sys\nfrom django.core.management import execute_from_command_line\n"
        "execute_from_command_line(sys.argv)\n"
    )
    manage(folder, "migrate", "--noinput", "-v", "0")
    return folder


def _environment(folder: Path) -> dict:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SSL_CERT_FILE"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(DJANGO_SETTINGS_MODULE="project.settings", PYTHONPATH=str(folder))
    return env


def manage(folder: Path, *args: str, stdin: str | None = None) -> str:
    command = [sys.executable, str(folder / "manage.py"), *args]
    return run(command, cwd=folder, env=_environment(folder), input=stdin)


def serve(folder: Path) -> Server:
    port = free_port()
    command = [sys.executable, str(folder / "manage.py"), "runserver", "--noreload"]
    command.append(f"127.0.0.1:{port}")
    return start(
        command,
        port,
        folder / "server.log",
        f"http://127.0.0.1:{port}",
        cwd=folder,
        env=_environment(folder),
    )


def _users_script() -> str:
    lines = ["from django.contrib.auth.models import User"]
    for uid, person in PEOPLE.items():
        lines.append(
            f"User.objects.create_user({uid!r}, email={person['email']!r}, "
            f"password={PASSWORD!r}, first_name={person['name']!r})"
        )
    return "\n".join(lines) + "\n"


# -- CAS -----------------------------------------------------------------------------------------
CAS_SETTINGS = """
CAS_AUTH_CLASS = "cas_server.auth.DjangoAuthUser"
CAS_NEW_VERSION_HTML_WARNING = False  # otherwise it asks the internet for a newer version
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SHOW_POWERED = False
# Loaded from nowhere: the test makes no request off this machine.
CAS_COMPONENT_URLS = {key: "data:," for key in (
    "bootstrap3_css", "bootstrap3_js", "html5shiv", "respond", "bootstrap4_css",
    "bootstrap4_js", "jquery",
)}
"""
CAS_URLS = """\
from django.urls import include, path
urlpatterns = [path("", include("cas_server.urls", namespace="cas_server"))]
"""
CAS_SETUP = """
from cas_server.models import ReplaceAttributName, ServicePattern
pattern = ServicePattern.objects.create(
    pos=1, name="gugan", pattern=r"^http://(127\\.0\\.0\\.1|localhost)(:\\d+)?/.*$",
    single_log_out=True,
)
for name in ("email", "first_name"):
    ReplaceAttributName.objects.create(name=name, service_pattern=pattern)
"""


def start_cas_server(folder: Path) -> Server:
    django_project(folder, "cas", ["cas_server"], CAS_SETTINGS, CAS_URLS)
    manage(folder, "shell", stdin=_users_script() + CAS_SETUP)
    return serve(folder)


# -- OpenID Connect ------------------------------------------------------------------------------
OIDC_SETTINGS = """
LOGIN_URL = "/accounts/login/"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (BASE / "oidc.key").read_text(),
    "PKCE_REQUIRED": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,  # Gugan's logout ends the provider's session
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OAUTH2_VALIDATOR_CLASS": "project.validator.Validator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Profile", "email": "Email"},
}
"""
OIDC_URLS = """\
from django.contrib.auth import views
from django.urls import include, path
urlpatterns = [
    path("accounts/login/", views.LoginView.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
"""
OIDC_VALIDATOR = """\
from oauth2_provider.oauth2_validators import OAuth2Validator

STAFF = {staff!r}


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request):
        user = request.user
        return {{
            "name": user.first_name,
            "email": user.email,
            "employeeNumber": STAFF.get(user.username, ""),
        }}
"""
LOGIN_TEMPLATE = """\
<!doctype html><html lang="zh"><head><title>区统一身份认证</title></head><body>
<h1>区统一身份认证</h1>
<form method="post">{% csrf_token %}{{ form.as_p }}<button type="submit">登录</button></form>
</body></html>
"""


@dataclass
class Provider:
    server: Server
    client_id: str
    client_secret: str

    @property
    def url(self) -> str:
        return self.server.url

    def stop(self):
        self.server.stop()


def start_oidc_provider(folder: Path, redirect_uri: str, after_logout: str) -> Provider:
    staff = {uid: person["staff_no"] for uid, person in PEOPLE.items()}
    files = {
        "project/oidc.key": run(["openssl", "genrsa", "2048"]),
        "project/validator.py": OIDC_VALIDATOR.format(staff=staff),
        "project/templates/registration/login.html": LOGIN_TEMPLATE,
    }
    django_project(folder, "op", ["oauth2_provider"], OIDC_SETTINGS, OIDC_URLS, files)
    secret = "gugan-client-secret"
    application = textwrap.dedent(f"""
        from oauth2_provider.models import Application
        Application.objects.create(
            name="Gugan", client_id="gugan", client_secret={secret!r},
            client_type="confidential", authorization_grant_type="authorization-code",
            redirect_uris={redirect_uri!r}, algorithm="RS256", skip_authorization=True,
            post_logout_redirect_uris={after_logout!r},
        )
    """)
    manage(folder, "shell", stdin=_users_script() + application)
    return Provider(serve(folder), "gugan", secret)
