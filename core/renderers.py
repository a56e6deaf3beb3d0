"""The form renderer: Django's, except that a menu (<select>) is written in Python.

Django renders every <option> of a menu through two templates (the option and its attributes).
A district office's filter lists 200 schools, a city's more: those templates were a third of its
duties grid. The markup written here is the same as Django's templates write, character for
character (tests/core/test_renderers.py compares them)."""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: `False` leaves the attribute out, `True` writes its
    bare name."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


def _text(value) -> str:
    """As ``{{ value }}`` writes it."""
    value = localize(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


def select_html(widget: dict) -> str:
    """As django/forms/widgets/select.html with its options."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _plain_options(widget: dict) -> bool:
    return all(
        option.get("template_name") == OPTION
        for _name, choices, _index in widget["optgroups"]
        for option in choices
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT and widget is not None and _plain_options(widget):
            return select_html(widget)
        return super().render(template_name, context, request)
