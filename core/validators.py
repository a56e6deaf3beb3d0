"""Validators shared by forms, models and imports."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 controls, DEL and C1 controls. Tab, line feed and carriage return are text in a
# multi-line field; a single-line value refuses them too.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def find_control_character(value: str, *, single_line: bool = False) -> str | None:
    """The first control character in ``value``, or None."""
    match = (_CONTROL_SINGLE_LINE if single_line else _CONTROL).search(value)
    return match.group() if match else None


def reject_control_characters(value, *, single_line: bool = False) -> None:
    """Refuse text holding invisible control characters (a NUL byte, a backspace, ...): they
    break the files made from it (exports, PDFs, archives) for everyone."""
    if not isinstance(value, str):
        return
    char = find_control_character(value, single_line=single_line)
    if char is not None:
        raise ValidationError(
            _("Contains an invisible control character (%(code)s). Remove it and try again.")
            % {"code": f"U+{ord(char):04X}"},
            code="control_character",
        )


def strip_control_characters(value: str) -> str:
    """``value`` without the control characters forms refuse (tab, line feed and carriage
    return stay): data stored before the refusal existed must still make a readable file."""
    return _CONTROL.sub("", value)
