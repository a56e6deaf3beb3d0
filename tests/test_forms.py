"""Every form refuses control characters in its text fields, with a clear message: a name
holding a backspace or a NUL byte once broke the school's roster export and the teacher's
dossier. The refusal lives once, in core.forms.TextGuardMixin; this walks every form class
of the project, so a new form cannot forget it."""

import copy
import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.forms import TextGuardMixin, guard_text_fields
from tests.factories import TeacherFactory
from tests.teachers.test_leavers import edit_data

BASE_DIR = Path(settings.BASE_DIR)
# Modules holding no form. bench holds scripts that change the process when imported (the
# locustfile patches threading, reports.py drops REDIS_URL from the environment).
SKIPPED = {"migrations", "management", "bench"}


def project_form_classes() -> list[type]:
    app_names = [c.name for c in apps.get_app_configs() if Path(c.path).parent == BASE_DIR]
    for name in app_names:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if not SKIPPED.intersection(module.name.split(".")):
                importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in app_names:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORMS = project_form_classes()


def test_the_walk_finds_the_forms():
    names = {c.__name__ for c in FORMS}
    assert len(FORMS) >= 55
    assert {"TeacherForm", "TermsForm", "BatchDossierForm", "LoginForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_form_refuses_control_characters_in_its_text_fields(form_class):
    assert issubclass(form_class, TextGuardMixin), "derive it from core.forms.Form / ModelForm"
    fields = copy.deepcopy(form_class.base_fields)
    guard_text_fields(fields)
    for name, field in fields.items():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
            continue
        for char in ("\x00", "\x08"):
            with pytest.raises(ValidationError) as caught:
                field.clean(f"王{char}芳@example.org")
            codes = [error.code for error in caught.value.error_list]
            assert "control_character" in codes, (name, codes)
            assert "null_characters_not_allowed" not in codes  # one message, not two


def test_a_textarea_keeps_its_line_breaks_a_single_line_field_does_not():
    fields = {"text": forms.CharField(widget=forms.Textarea), "name": forms.CharField()}
    guard_text_fields(fields)
    assert fields["text"].clean("第一行\r\n\t第二行") == "第一行\r\n\t第二行"
    with pytest.raises(ValidationError):
        fields["name"].clean("王\t芳")


@pytest.mark.parametrize("char", ["\x08", "\x00"])
def test_the_roster_form_refuses_a_control_character_in_a_name(login, principal, school, char):
    teacher = TeacherFactory(school=school, name="王芳")
    client = login(principal)
    response = client.post(
        reverse("teachers:edit", args=[teacher.pk]), edit_data(teacher, name=f"王{char}芳")
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["name"]
    assert error == f"含有不可见的控制字符（U+{ord(char):04X}），请删除后重试。"
    teacher.refresh_from_db()
    assert teacher.name == "王芳"
