"""Arrows point down: an app imports only the apps on the floors below it, never one above it
nor a neighbour on its own floor. What spans several apps is built on the top floor, or from
pieces the apps above register into a registry below (teachers.profile, records' plan readers,
core's demo steps and job kinds).

Every module of every project app is read (ast, lazy imports inside functions too; migrations
excepted), and so is every relation between models. A new app has to be given a floor here.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

# Lowest first. Apps on one floor are siblings: neither imports the other.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("core",),  # organisations, school years, users and roles, scoping, jobs, PDF and tables
    ("scoring",),  # the scoring engine of every panel
    ("teachers",),
    ("records", "backbone"),
    ("training", "contests"),  # training credits hours, competitions credit prizes into records
    ("mentoring", "groups"),  # groups: plans, activities (training sessions), preparation
    ("assessment",),
    ("honours",),  # honours, priority lists, performance pay: read assessment and records
    ("recognition",),  # allowances and rewards: from designations and mentoring outcomes
    # documents over several apps; home; the data export; the REST API (reads every app above)
    ("documents", "home", "dataexport", "api"),
    ("sso",),  # single sign-on: matches identities to logins (core) and roster rows (teachers)
    ("bench",),  # the benchmark dataset and timings, over every page and document
)
FLOOR = {app: level for level, floor in enumerate(FLOORS) for app in floor}


# Model relations that point up, each with its reason.
RELATIONS_UP = {
    # The grade of an annual assessment round is written into the roster's annual grade,
    # which remembers the round it came from; grades recorded by hand have none.
    ("teachers.AnnualGrade", "round"),
    # An observation a mentor logs in a pairing is a record like any other; mentoring sets
    # the link, records never reads it.
    ("records.Observation", "pairing"),
}

BASE_DIR = Path(settings.BASE_DIR)


def points_up(app: str, target: str) -> bool:
    return target != app and FLOOR[target] >= FLOOR[app]


def project_apps() -> list[str]:
    return [c.name for c in apps.get_app_configs() if Path(c.path).parent == BASE_DIR]


def imported_apps(path: Path) -> set[tuple[int, str]]:
    """(line, module) of every absolute import of a project app in the file."""
    names = set(FLOOR) | set(project_apps())
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        found |= {(node.lineno, m) for m in modules if m.split(".")[0] in names}
    return found


def test_every_project_app_has_a_floor():
    assert set(project_apps()) - set(FLOOR) == set()


def test_no_module_imports_an_app_above_it_or_beside_it():
    wrong = []
    for app in project_apps():
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            relative = path.relative_to(BASE_DIR).as_posix()
            if "migrations" in path.parts:
                continue
            for line, module in sorted(imported_apps(path)):
                target = module.split(".")[0]
                if points_up(app, target):
                    wrong.append(f"{relative}:{line} imports {module}")
    assert wrong == []


def test_no_model_relation_points_up_without_a_reason():
    wrong = []
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in FLOOR:
            continue  # Django's and third-party apps
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            target = field.related_model._meta.app_label
            key = (model._meta.label, field.name)
            if target in FLOOR and points_up(app, target) and key not in RELATIONS_UP:
                wrong.append(f"{model._meta.label}.{field.name} -> {target}")
    assert wrong == []


def test_the_floor_check_sees_an_arrow_that_points_up(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from assessment.models import Grade\n")
    assert imported_apps(module) == {(2, "assessment.models")}
