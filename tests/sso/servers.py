"""Real identity servers on loopback for the single sign-on tests, each in a throwaway process
started by the test and killed by its pid at the end: Debian's slapd with a small directory, a
CAS server (django-cas-server) and an OpenID provider (django-oauth-toolkit), the last two as
tiny Django projects written into a temporary folder.

Every server listens on 127.0.0.1; Gugan's live server is on localhost, so the cookies of the
two sites never mix (cookies ignore ports). People in every directory:

    li        李老师, staff number L001, li@school.cn      (a teacher Gugan knows)
    stranger  陌生人, staff number X999, x@elsewhere.cn    (nobody in Gugan)

In the directory both are in department A001-teacher (for the role map).
"""

import copy
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "district-pass-1"
PEOPLE = {
    "li": {"name": "李老师", "staff_no": "L001", "email": "li@school.cn"},
    "stranger": {"name": "陌生人", "staff_no": "X999", "email": "x@elsewhere.cn"},
}
SLAPD = "/usr/sbin/slapd"
SUFFIX = "dc=gugan,dc=test"


def _python_ldap_installed() -> bool:
    try:
        import ldap  # noqa: F401
    except ImportError:
        return False
    return True


# python-ldap is the optional `ldap` extra and slapd a system package: CI installs both.
needs_slapd = pytest.mark.skipif(
    not _python_ldap_installed() or not Path(SLAPD).exists() or not shutil.which("slapadd"),
    reason="needs python-ldap (the ldap extra) and slapd (apt-get install slapd ldap-utils)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def start(command: list[str], port: int, log: Path, url: str, **kwargs) -> Server:
    """Start the command in its own process group and wait until the port answers."""
    out = log.open("wb")
    process = subprocess.Popen(
        command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
    )
    server = Server(url, process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[0]} ended early:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{command[0]} did not listen on {port}:\n{log.read_text()}")


def run(command: list[str], **kwargs) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# -- LDAP ----------------------------------------------------------------------------------------
def start_slapd(folder: Path) -> Server:
    folder.mkdir(parents=True)
    (folder / "db").mkdir()
    root_hash = run(["slappasswd", "-s", "root-secret"]).strip()
    (folder / "slapd.conf").write_text(
        textwrap.dedent(f"""\
        include /etc/ldap/schema/core.schema
        include /etc/ldap/schema/cosine.schema
        include /etc/ldap/schema/inetorgperson.schema
        pidfile {folder}/slapd.pid
        modulepath /usr/lib/ldap
        moduleload back_mdb
        database mdb
        maxsize 10485760
        suffix "{SUFFIX}"
        rootdn "cn=admin,{SUFFIX}"
        rootpw {root_hash}
        directory {folder}/db
        """)
    )
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: gugan\no: Gugan",
        f"dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people",
    ]
    password = run(["slappasswd", "-s", PASSWORD]).strip()
    for uid, person in PEOPLE.items():
        entries.append(
            f"dn: uid={uid},ou=people,{SUFFIX}\nobjectClass: inetOrgPerson\nuid: {uid}\n"
            f"cn: {person['name']}\nsn: {person['name'][0]}\ndisplayName: {person['name']}\n"
            f"employeeNumber: {person['staff_no']}\nmail: {person['email']}\n"
            "departmentNumber: A001-teacher\n"
            f"userPassword: {password}"
        )
    (folder / "seed.ldif").write_text("\n\n".join(entries) + "\n")
    run(["slapadd", "-f", str(folder / "slapd.conf"), "-l", str(folder / "seed.ldif")])
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    command = [SLAPD, "-d", "0", "-f", str(folder / "slapd.conf"), "-h", url + "/"]
    server = start(command, port, folder / "slapd.log", url)
    run(["ldapwhoami", "-x", "-H", url])  # answers LDAP, not only TCP
    return server


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


def allow_logout_to(settings, url: str):
    """As config/settings/base.py does from the environment (SSO_LOGOUT_ORIGINS)."""
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(url)
    settings.CONTENT_SECURITY_POLICY = policy


# -- fixtures (session-scoped: each server starts once) ----------------------------------------
@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    server = start_slapd(tmp_path_factory.mktemp("slapd") / "ldap")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def cas_server(tmp_path_factory):
    server = start_cas_server(tmp_path_factory.mktemp("cas") / "cas")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory, live_server):
    callback, after_logout = f"{live_server.url}/sso/oidc/callback/", f"{live_server.url}/login/"
    folder = tmp_path_factory.mktemp("oidc") / "oidc"
    provider = start_oidc_provider(folder, callback, after_logout)
    yield provider
    provider.stop()


@pytest.fixture
def ldap_on(settings, slapd):
    settings.LDAP_ENABLED = True
    settings.AUTH_LDAP_SERVER_URI = slapd.url
    settings.AUTH_LDAP_USER_DN_TEMPLATE = f"uid=%(user)s,ou=people,{SUFFIX}"
    return slapd


@pytest.fixture
def cas_on(settings, cas_server):
    """CAS as django-cas-server releases it: the person's email (SSO_MATCH_FIELD=email)."""
    settings.CAS_ENABLED = True
    settings.CAS_SERVER_URL = cas_server.url + "/"
    settings.SSO_MATCH_FIELD = "email"
    settings.CAS_MATCH_CLAIM = "email"
    settings.SSO_NAME_CLAIM = "first_name"
    allow_logout_to(settings, cas_server.url)
    return cas_server


@pytest.fixture
def oidc_on(settings, oidc_provider):
    base = oidc_provider.url + "/o/"
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = base + "authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = base + "token/"
    settings.OIDC_OP_USER_ENDPOINT = base + "userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = base + ".well-known/jwks.json"
    settings.OIDC_OP_LOGOUT_ENDPOINT = base + "logout/"
    allow_logout_to(settings, oidc_provider.url)
    return oidc_provider
