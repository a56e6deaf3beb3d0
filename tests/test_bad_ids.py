"""Bad ids never crash a page: every form and every query string that names objects answers
``abc``, ``-1``, an id that does not exist, the other school's id, an empty or a huge list with
a field error, a 404 or the page as usual, never a 500.

The walk reuses the permission matrix's world (tests/test_permission_matrix.py). For every URL
it signs in as someone who may open it, reads the forms of the page (their fields and the values
they offer), then sends each form back with one field at a time set to each bad value, the other
fields as the page filled them. The other school's ids come from the same page opened by the
same role at the other school. GET pages are also opened with bad values in the query string,
under the names their filter forms use and the names views read by hand.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests import test_permission_matrix as matrix
from tests.test_permission_matrix import PLAIN, PUBLIC, RULES, URLS, Rule, url_for

# The matrix's world, built once for the module, and its stub of the contract PDF.
world = matrix.world
contract_pdf_stub = matrix.contract_pdf_stub

NOT_A_NUMBER = "abc"
NEGATIVE = "-1"
MISSING = "99999999"
TOO_BIG = "9" * 30  # past a 64-bit integer: the database must not be asked
# Under DATA_UPLOAD_MAX_NUMBER_FIELDS (1000): Django answers more fields with a 400 by itself.
HUGE = [str(10_000_000 + i) for i in range(900)]
QUERY_NAMES = (
    "school", "district", "year", "teacher", "tier", "group", "status", "kind", "page",
    "rows", "round", "pairing", "light", "owner", "semester",
)  # fmt: skip
POST_NAMES = (*QUERY_NAMES, "records", "teachers", "candidate", "candidates", "committee")
# Fields whose values are no ids (text a user types, dates, the page to come back to).
SKIP = {"csrfmiddlewaretoken", "next", "query"}


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values filled in
    options: dict[str, list[str]] = field(default_factory=dict)  # name -> values offered
    choosers: set[str] = field(default_factory=set)  # selects, checkboxes and radios


class FormReader(HTMLParser):
    """The forms of a page with what a browser would send and what each field offers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(Form((a.get("method") or "get").upper(), a.get("action") or ""))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio"):
                form.choosers.add(name)
                form.options.setdefault(name, []).append(value)
                if "checked" in a:
                    form.fields.setdefault(name, []).append(value)
                else:
                    form.fields.setdefault(name, [])
            else:
                form.fields.setdefault(name, []).append(value)
                form.options.setdefault(name, []).append(value)
        elif tag == "select" and name:
            self.select = name
            form.choosers.add(name)
            form.fields.setdefault(name, [])
            form.options.setdefault(name, [])
        elif tag == "option" and self.select:
            value = a.get("value", "")
            form.options[self.select].append(value)
            if "selected" in a:
                form.fields[self.select].append(value)
        elif tag == "textarea" and name:
            form.fields.setdefault(name, []).append("文字")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "form" and self.forms:
            self._choose_first(self.forms[-1])

    @staticmethod
    def _choose_first(form: Form) -> None:
        """A field left empty is filled the way a user would: with its first offered choice
        (a required school or committee left empty would stop the form before its clean())."""
        for name, offered in form.options.items():
            values = form.fields.get(name)
            choices = [v for v in offered if v]
            if values in ([], [""]) and choices and name in form.choosers:
                form.fields[name] = choices[:1]


def read_forms(html: bytes) -> list[Form]:
    reader = FormReader()
    reader.feed(html.decode("utf-8", "replace"))
    return reader.forms


def id_fields(form: Form) -> list[str]:
    """Fields that carry ids: they offer numbers to choose from, or hold one."""
    names = []
    for name, offered in form.options.items():
        if name in SKIP:
            continue
        values = [v for v in offered if v] + form.fields.get(name, [])
        if any(re.fullmatch(r"\d+", v) for v in values):
            names.append(name)
    return names


def bad_values(foreign: list[str]) -> list[list[str]]:
    values = [[NOT_A_NUMBER], [NEGATIVE], [MISSING], [TOO_BIG], [], HUGE, [NOT_A_NUMBER, MISSING]]
    values += [[v] for v in foreign[:3]]
    return values


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def send(client, method, url, data=None):
    # The test client answers a 500 with the page when raise_request_exception is off.
    return matrix.send(client, method, url, data)


def first_allowed(rule: Rule) -> str | None:
    codes = rule.codes("own")
    return next((r for r, c in codes.items() if c == "A"), None)


def targets():
    """(URL name, role, the URL at the own school, at the other school) for every page."""
    out = []
    for name, entry in sorted(URLS.items()):
        if name in PUBLIC or name.startswith("<unnamed"):
            continue
        if entry.kwargs:
            rules = RULES[name]
            for rule in rules if isinstance(rules, list) else [rules]:
                role = first_allowed(rule)
                if role is not None:
                    out.append((name, role, rule))
        else:
            for role in ("principal", "teacher", "district"):
                out.append((name, role, None))
    return out


def _urls(world, name, rule):
    if rule is None:
        return reverse(name), reverse(name)
    return url_for(name, rule, world.own), url_for(name, rule, world.other)


def _page(result) -> bytes:
    return result.content if result.status == 200 else b""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "role", "rule"),
    [pytest.param(n, r, ru, id=f"{n}-{r}-{ru.variant if ru else ''}") for n, r, ru in targets()],
)
def test_bad_ids_get_a_field_error_or_a_404_never_a_500(world, name, role, rule):
    own_url, other_url = _urls(world, name, rule)
    client = client_for(world.own.users[role])
    problems = []
    method = (PLAIN.get(name) if rule is None else rule.method) or "GET"

    def crashes(method, url, data=None) -> bool:
        if method == "GET" and data:
            url, data = f"{url}{'&' if '?' in url else '?'}{_query(data)}", None
        return send(client, method, url, data).status >= 500

    def probe_together(method, url, base, keys, values):
        """All keys bad at once; only when that crashes, one key at a time to name it."""
        for value in values:
            if not crashes(method, url, {**base, **dict.fromkeys(keys, value)}):
                continue
            culprits = [k for k in keys if crashes(method, url, {**base, k: value})]
            problems.append(f"{role} {method} {url} {culprits or keys} = {value[:3]}: 500")

    if method == "POST":
        # No page to read: the ids views take by hand.
        probe_together("POST", own_url, {}, POST_NAMES, bad_values([]))
        assert not problems, "\n".join(problems)
        return
    page = send(client, "GET", own_url)
    assert page.status < 500, f"{own_url}: {page.status}"
    probe_together(
        "GET", own_url, {}, QUERY_NAMES, [[NOT_A_NUMBER], [NEGATIVE], [MISSING], [TOO_BIG]]
    )
    forms = read_forms(_page(page))
    if not any(id_fields(form) for form in forms):
        assert not problems, "\n".join(problems)
        return
    other_page = send(client_for(world.other.users[role]), "GET", other_url)
    other_options = {}
    for f in read_forms(_page(other_page)):
        for key, offered in f.options.items():
            other_options.setdefault(key, []).extend(v for v in offered if v.isdigit())
    for form in forms:
        if form.action.startswith(("http", "//", "/admin")):
            continue
        url = form.action or own_url
        for key in id_fields(form):
            mine = set(form.options.get(key, []))
            foreign = [v for v in other_options.get(key, []) if v not in mine]
            for value in bad_values(foreign):
                if crashes(form.method, url, {**form.fields, key: value}):
                    problems.append(f"{role} {form.method} {url} {key} = {value[:3]}: 500")
    assert not problems, "\n".join(problems)


def _query(data: dict) -> str:
    from urllib.parse import urlencode

    return urlencode([(k, v) for k, values in data.items() for v in values])


# (the reset link of the password email names no object: a uid and a token)
NUMBERED = sorted(name for name in RULES if URLS[name].kwargs - {"kind", "uidb64", "token"})


@pytest.mark.django_db
@pytest.mark.parametrize("name", NUMBERED)
def test_ids_in_the_url_past_what_the_database_holds_are_not_found(world, name):
    rules = RULES[name]
    rule = rules[0] if isinstance(rules, list) else rules
    role = first_allowed(rule) or "principal"
    if callable(rule.target):
        kwargs, query = rule.target(world.own)
    else:
        kwargs, query = {"pk": world.own[rule.target].pk}, ""
    # The URL is reversed with a stand-in: reverse() itself refuses a number this long.
    stand_in = 987654321987
    url = reverse(
        name, kwargs={k: stand_in if isinstance(v, int) else v for k, v in kwargs.items()}
    )
    url = url.replace(str(stand_in), TOO_BIG) + query
    method = "POST" if rule.method == "POST" else "GET"
    result = send(client_for(world.own.users[role]), method, url)
    assert result.status == 404, (url, result.status)
