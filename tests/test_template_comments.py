"""Django's {# … #} comment ends at the end of its line: one that runs over two lines is
printed on the page. The language button's note was shown in the menu bar of every page."""

from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {"node_modules", ".venv", "var", "artifacts"}


def project_templates():
    for path in ROOT.rglob("*.html"):
        parts = set(path.relative_to(ROOT).parts)
        if not parts & SKIP and "templates" in parts:
            yield path


def test_no_template_comment_runs_over_a_line():
    broken = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in project_templates()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert list(project_templates())
    assert broken == []


def test_no_comment_reaches_the_page(client, django_user_model):
    page = client.get("/login/").content.decode()
    assert "{#" not in page and "#}" not in page
