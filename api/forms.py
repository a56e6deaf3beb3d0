from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Form, ImportFileField

from .models import ApiToken
from .tokens import may_push_hours

LIFETIMES = [
    (30, _("30 days")),
    (90, _("90 days")),
    (365, _("One year")),
    (0, _("Never expires")),
]


class TokenForm(Form):
    name = forms.CharField(
        label=_("What it is for"),
        max_length=60,
        required=False,
        help_text=_("E.g. 继续教育平台 or the district's data warehouse."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices)
    days = forms.TypedChoiceField(
        label=_("Expires after"), choices=LIFETIMES, coerce=int, initial=365
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_push_hours(user):
            # Only managers and the district office push hours: the others read.
            self.fields["scope"].choices = [
                c for c in ApiToken.Scope.choices if c[0] == ApiToken.Scope.READ
            ]


class BureauHoursImportForm(Form):
    file = ImportFileField(label=_("The platform's export"))
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)
