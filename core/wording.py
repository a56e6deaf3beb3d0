"""Gugan's own words for the messages Django's forms give by themselves. Django's Chinese
catalogue reads like a translated manual ("这个字段是必填项。", "确保该变量包含不超过 …
字符 (目前字符数 …)", half-width brackets included); a school office writes otherwise. Every
core form puts these in place of the stock ones (core.forms.TextGuardMixin), so a field keeps
a message of its own and a new form needs nothing."""

from django.core import validators
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext

# Django's English message (its msgid) -> ours.
FIELD_MESSAGES = {
    "This field is required.": _("Fill in this field."),
    "Enter a whole number.": _("Enter a whole number."),
    "Enter a number.": _("Enter a number."),
    "Enter a valid date.": _("Enter a date, for example 2026-09-01."),
    "Enter a valid time.": _("Enter a time, for example 08:30."),
    "Enter a valid date/time.": _("Enter a date and a time."),
    "Enter a valid email address.": _("Enter an email address, for example name@example.org."),
    "Select a valid choice. %(value)s is not one of the available choices.": _(
        "Choose one of the entries in the list."
    ),
    "Select a valid choice. That choice is not one of the available choices.": _(
        "Choose one of the entries in the list."
    ),
    "“%(pk)s” is not a valid value.": _("Choose one of the entries in the list."),
    "Enter a list of values.": _("Choose one of the entries in the list."),
    "No file was submitted. Check the encoding type on the form.": _("Choose a file."),
    "No file was submitted.": _("Choose a file."),
    "The submitted file is empty.": _("The file is empty: choose another one."),
    "Enter a valid value.": _("This value is not valid."),
}

MAX_LENGTH = ngettext_lazy(
    "At most %(limit_value)d character (now %(show_value)d).",
    "At most %(limit_value)d characters (now %(show_value)d).",
    "limit_value",
)
MIN_LENGTH = ngettext_lazy(
    "At least %(limit_value)d character (now %(show_value)d).",
    "At least %(limit_value)d characters (now %(show_value)d).",
    "limit_value",
)
VALIDATOR_MESSAGES = {
    validators.MaxValueValidator: _("At most %(limit_value)s."),
    validators.MinValueValidator: _("At least %(limit_value)s."),
    validators.MaxLengthValidator: MAX_LENGTH,
    validators.MinLengthValidator: MIN_LENGTH,
}


def _english(message) -> str:
    with translation.override(None):
        return str(message)


def use_gugan_messages(field) -> None:
    """Put Gugan's words in place of Django's stock messages on ``field``."""
    if getattr(field, "_gugan_worded", False):
        return
    field._gugan_worded = True
    for code, message in list(field.error_messages.items()):
        ours = FIELD_MESSAGES.get(_english(message))
        if ours is not None:
            field.error_messages[code] = ours
    worded = []
    for validator in field.validators:
        ours = VALIDATOR_MESSAGES.get(type(validator))
        if ours is not None and _english(validator.message) == _english(type(validator).message):
            # A model field's validators are shared with every form made from it: copy.
            validator = type(validator)(validator.limit_value, message=ours)
        worded.append(validator)
    field.validators[:] = worded


def list_separator() -> str:
    """What separates the entries of a short list in the active language: "、" in Chinese."""
    return pgettext("list separator", ", ")


class FileExtensionValidator(validators.FileExtensionValidator):
    """Django's check of a file's extension, in Gugan's words: the stock Chinese message
    reads "文件扩展“pdf”是不被允许"."""

    message = _("A .%(extension)s file cannot be used here: choose a %(allowed_extensions)s file.")

    def __call__(self, value):
        extension = value.name.rsplit(".", 1)[-1].lower() if "." in value.name else ""
        if self.allowed_extensions is not None and extension not in self.allowed_extensions:
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "extension": extension or "?",
                    "allowed_extensions": list_separator().join(
                        f".{e}" for e in self.allowed_extensions
                    ),
                    "value": value,
                },
            )


def labelled(label, value) -> str:
    """ "Label: value" in the active language: Chinese takes a full-width colon."""
    return pgettext("label and value", "%(label)s: %(value)s") % {"label": label, "value": value}


def clauses(parts) -> str:
    """Several clauses in one line: "；" between them in Chinese."""
    return pgettext("clause separator", "; ").join(str(p) for p in parts)


def in_brackets(text) -> str:
    """An aside after a name, " (…)" in English and "（…）" in Chinese."""
    return pgettext("aside in brackets", " (%(text)s)") % {"text": text}
