"""Model fields shared by the apps."""

from django.core import validators
from django.db import models
from django.utils.functional import cached_property

# Sensible maxima for free text, in characters (a Chinese character counts one). A reason or
# a comment fits in a few sentences; a report or a plan in a few pages. Without a maximum a
# 100 KB text once took a web worker 64 s to lay out as a one-page PDF.
SHORT_TEXT = 2_000
LONG_TEXT = 10_000


class LimitedTextField(models.TextField):
    """A TextField (a textarea in forms) holding at most ``max_length`` characters, checked
    by its form field and by the model's full_clean(), as a CharField is.

    There is no database CHECK: rows written before the limit may be longer, and a
    migration adding the check would fail on them."""

    def __init__(self, *args, max_length: int = LONG_TEXT, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self):
        return [*super().validators, validators.MaxLengthValidator(self.max_length)]
