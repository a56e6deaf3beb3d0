"""Menus written in Python (core/renderers.py) are the markup Django's own templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.models import School
from core.renderers import FormRenderer
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


class Menus(forms.Form):
    plain = forms.ChoiceField(choices=[("", "全部"), ("a", "语文"), ("b", 'A & B "<x>"')])
    grouped = forms.ChoiceField(
        choices=[
            ("小学", [("1", "一年级"), ("2", "二年级")]),
            ("中学", [("7", "初一")]),
            ("9", "其他"),
        ]
    )
    many = forms.MultipleChoiceField(choices=[(1, "一"), (2, "二"), (3, "三")])
    number = forms.TypedChoiceField(choices=[(2025, 2025), (2026, 2026)], coerce=int)
    yes_no = forms.NullBooleanField()
    school = forms.ModelChoiceField(queryset=School.objects.order_by("code"), empty_label="全部")
    safe = forms.ChoiceField(choices=[("s", mark_safe("<b>粗</b>"))])
    disabled = forms.ChoiceField(
        choices=[("x", "甲")], widget=forms.Select(attrs={"disabled": True, "data-x": "y'z"})
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "b", "grouped": "2", "many": ["1", "3"], "number": "2026", "yes_no": "false"},
        {"plain": "<script>", "grouped": "9", "many": ["2"], "number": "x", "yes_no": "true"},
    ],
)
def test_every_menu_is_the_markup_of_djangos_templates(data):
    schools = [SchoolFactory(name=name) for name in ("鼓楼区实验小学", "A&B <学校>")]
    data = {**data, "school": str(schools[1].pk)} if data else data
    fast = Menus(data or None, renderer=FormRenderer())
    django = Menus(data or None, renderer=DjangoTemplates())
    for name in fast.fields:
        ours, theirs = str(fast[name]), str(django[name])
        assert ours == theirs, name
    assert "A &amp; B &quot;&lt;x&gt;&quot;</option>" in str(fast["plain"])
    assert "A&amp;B &lt;学校&gt;" in str(fast["school"])


def test_the_site_renders_menus_in_python(settings):
    form = Menus()
    assert isinstance(form.renderer, FormRenderer)
    assert str(form["plain"]).startswith('<select name="plain"')
