"""Punctuation that follows the language: a label's colon and an aside's brackets are
full-width in Chinese ("培训学时：72", "王芳（城关小学）"), half-width in English."""

from django import template
from django.utils.translation import pgettext

from core.wording import clauses as join_clauses
from core.wording import in_brackets, list_separator

register = template.Library()


@register.filter(is_safe=True)
def colon(label) -> str:
    """``{{ _("Training hours")|colon }}``: the label and the colon the language uses."""
    return pgettext("label colon", "%(label)s:") % {"label": label}


@register.filter(is_safe=True)
def brackets(text) -> str:
    """``{{ name }}{{ school|brackets }}``: the aside with its brackets (and the space English
    puts before them)."""
    return in_brackets(text)


@register.filter(is_safe=False)
def clauses(parts) -> str:
    """``{{ texts|clauses }}``: "; " between them in English, "；" in Chinese."""
    return join_clauses(parts)


@register.filter(is_safe=False)
def listing(items) -> str:
    """``{{ names|listing }}``: ", " between them in English, "、" in Chinese."""
    return list_separator().join(str(i) for i in items)
