"""Gugan's wording, by the standard of a school office: menus say 全部 or 请选择 instead of
Django's dashes, Django's stock messages are replaced by Gugan's own, assessment pages speak of
考核 and never of 评选, and no command-line flag reaches a browser."""

import importlib
import pkgutil
from pathlib import Path

import django_filters
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assessment.models import AssessmentRound
from core.filters import FilterSet
from core.forms import Form
from tests.factories import TeacherFactory, TeachingGroupFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)


def chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def first_options(html: str) -> list[str]:
    """The label of the first entry of every menu on the page."""
    import re

    selects = re.findall(r"<select[^>]*>(.*?)</select>", html, re.S)
    return [re.search(r"<option[^>]*>([^<]*)</option>", s).group(1).strip() for s in selects]


# -- menus ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url", ["teachers:list", "backbone:roster", "records:queue", "mentoring:overview"]
)
def test_every_filter_menu_starts_with_all(login, principal, school, url):
    TeachingGroupFactory(school=school, name="语文组")
    TeacherFactory(school=school, subject="语文")
    client = chinese(login(principal))
    html = client.get(reverse(url)).content.decode()
    assert "---------" not in html
    assert "全部" in first_options(html)
    html = english(client).get(reverse(url)).content.decode()
    assert "---------" not in html
    assert "All" in first_options(html)


def test_an_edit_form_menu_asks_to_choose(login, principal, school):
    TeacherFactory(school=school)
    html = chinese(login(principal)).get(reverse("backbone:designation_new")).content.decode()
    assert "---------" not in html
    assert first_options(html)[:2] == ["请选择", "请选择"]  # the teacher and the tier


def test_the_duties_grid_filter_offers_all(login, principal, school):
    TeachingGroupFactory(school=school, name="语文组")
    html = chinese(login(principal)).get(reverse("assessment:duties_grid")).content.decode()
    assert "---------" not in html
    assert "全部" in first_options(html)


def _project_modules():
    names = [c.name for c in apps.get_app_configs() if Path(c.path).parent == BASE_DIR]
    for name in names:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if not {"migrations", "management", "bench"} & set(module.name.split(".")):
                importlib.import_module(module.name)
    return names


def test_every_filter_of_the_project_uses_the_core_base():
    """Every filter a page shows as a form; the REST API's query filters (api.filters) are
    parameters, not menus, and answer in its own error format."""
    names = set(_project_modules()) - {"api"}
    found, todo = [], [django_filters.FilterSet]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in names and sub is not FilterSet:
                found.append(sub)
    assert len(found) >= 4
    for filterset in found:
        assert issubclass(filterset, FilterSet), f"{filterset.__name__}: use core.filters"


# -- Django's stock messages --------------------------------------------------------------------
class Sample(Form):
    from django import forms

    name = forms.CharField(max_length=5)
    day = forms.DateField()
    count = forms.IntegerField(max_value=10)


def test_field_messages_are_gugans_own():
    with translation.override("zh-hans"):
        form = Sample({"name": "一二三四五六", "count": "11"})
        errors = form.errors
        assert errors["day"] == ["请填写此项。"]
        assert errors["name"] == ["最多5个字符（现有6个）。"]
        assert errors["count"] == ["不能大于10。"]
        assert Sample({"name": "王", "day": "31/31/2026", "count": "x"}).errors == {
            "day": ["请输入日期，例如2026-09-01。"],
            "count": ["请输入整数。"],
        }
    with translation.override("en"):
        assert Sample({}).errors["day"] == ["Fill in this field."]


def test_a_pdf_in_the_roster_import_is_refused_in_gugans_words(login, principal, school):
    client = chinese(login(principal))
    data = {"file": SimpleUploadedFile("名册.pdf", b"%PDF-1.4"), "school": school.pk}
    response = client.post(reverse("teachers:import"), data)
    assert response.context["form"].errors["file"] == [
        "这里不能使用.pdf文件，请选择.xlsx、.csv格式的文件。"
    ]
    assert "不被允许" not in response.content.decode()


def test_a_wrong_password_reads_plainly(client, principal):
    principal.set_password("right-pass-2026")
    principal.save()
    response = chinese(client).post(
        reverse("login"), {"username": "principal", "password": "wrong-pass"}
    )
    body = response.content.decode()
    assert "用户名或密码不正确。请检查后重新输入（字母区分大小写）。" in body
    assert "请输入一个正确的" not in body


def test_changing_the_password_with_a_wrong_current_one(login, principal):
    principal.set_password("right-pass-2026")
    principal.save()
    client = chinese(login(principal))
    data = {
        "old_password": "nope",
        "new_password1": "Zhong-2026-x",
        "new_password2": "Zhong-2026-y",
    }
    response = client.post(reverse("password_change"), data)
    assert response.context["form"].errors["old_password"] == ["当前密码不正确，请重新输入。"]


def test_an_unknown_group_in_the_roster_names_the_box_not_the_flag(login, principal, school):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名", "性别", "参加工作时间", "学历", "任教学科", "教研组"])
    sheet.append(["A1", "王芳", "女", "2008-09-01", "本科", "语文", "不存在组"])
    import io

    out = io.BytesIO()
    book.save(out)
    client = chinese(login(principal))
    data = {"file": SimpleUploadedFile("名册.xlsx", out.getvalue()), "school": school.pk}
    body = client.post(reverse("teachers:import"), data).content.decode()
    assert "“自动创建缺少的教研组”" in body
    assert "--create-groups" not in body


# -- 考核 and 评选 kept apart ----------------------------------------------------------------
def test_assessment_pages_speak_of_assessment(login, principal, committee_member, school):
    from assessment.services.rounds import round_open

    TeacherFactory(school=school)
    round_open(
        school=school,
        kind="annual",
        year=2025,
        title="2025学年年度考核",
        committee=[committee_member],
        by=principal,
        all_teachers=True,
    )
    client = chinese(login(principal))
    listing = client.get(reverse("assessment:rounds")).content.decode()
    form = client.get(reverse("assessment:round_new")).content.decode()
    detail = client.get(
        reverse("assessment:round", args=[AssessmentRound.objects.get().pk])
    ).content.decode()
    assert "发起考核" in listing and "考核名称" in listing and "考核小组评分中" in listing
    assert "考核小组" in detail
    for page in (listing, form, detail):
        main = page.split("<main", 1)[1]  # the menu's 评选 (selection rounds) is another page
        assert "评选" not in main
    # The 考核 menu no longer holds an item also called 考核.
    assert ">考核活动<" in listing.replace(' <i class="bi bi-clipboard-check"></i> ', "")


def test_the_eligibility_table_heads_the_title_column_with_its_word(login, principal, school):
    TeacherFactory(school=school)
    html = chinese(login(principal)).get(reverse("backbone:eligibility")).content.decode()
    assert "<th" in html and "职称</th>" in html
    assert "标题</th>" not in html


def test_a_weak_new_password_is_refused_in_gugans_words(login, principal):
    principal.set_password("right-pass-2026")
    principal.save()
    client = chinese(login(principal))
    data = {"old_password": "right-pass-2026", "new_password1": "8261937"}
    data["new_password2"] = data["new_password1"]
    response = client.post(reverse("password_change"), data)
    assert response.context["form"].errors["new_password2"] == [
        "密码太短，至少要有8个字符。",
        "密码不能全是数字，请加入字母或其他字符。",
    ]
    assert "至少8个字符。" in response.content.decode()  # the help text under the field


def test_the_import_page_lists_accepted_values_with_the_languages_punctuation(login, principal):
    client = login(principal)
    html = chinese(client).get(reverse("teachers:import")).content.decode()
    assert "一级（中级）、高级（副高）、正高级（正高）" in html
    html = english(client).get(reverse("teachers:import")).content.decode()
    assert "一级 (中级), 高级 (副高), 正高级 (正高)" in html
