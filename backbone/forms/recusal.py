"""The recusal (回避) form of a selection round: who steps back, from whom, and why."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.collation import pinyin
from core.forms import Form, ModelIdField, ModelIdsField
from core.models import User

from ..models import Candidate, SelectionRound


class MemberField(ModelIdField):
    def label_from_instance(self, obj):
        return str(obj)


class CandidatesField(ModelIdsField):
    def label_from_instance(self, obj):
        return obj.teacher.name


class RecusalForm(Form):
    member = MemberField(
        label=_("Committee member"), queryset=None, empty_label=_("Choose a committee member")
    )
    whole = forms.TypedChoiceField(
        label=_("Steps back from"),
        choices=[("0", _("The candidates ticked below")), ("1", _("The whole round"))],
        coerce=lambda v: v == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
    candidates = CandidatesField(
        label=_("Candidates"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("The conflict of interest, e.g. a relative or one's own apprentice."),
    )

    def __init__(self, *args, round: SelectionRound, member=None, **kwargs):
        """``member``: the user declaring for themselves (a committee member who does not
        manage the round); otherwise the managers choose among the committee."""
        super().__init__(*args, **kwargs)
        users = User.objects.filter(
            panel_memberships__panel=round.panel, panel_memberships__left_at__isnull=True
        ).order_by("display_name", "username")
        self.fields["member"].queryset = users
        if member is not None:
            self.fields["member"].queryset = users.filter(pk=member.pk)
            self.fields["member"].initial = member.pk
            self.fields["member"].widget = forms.HiddenInput()
        self.fields["candidates"].queryset = (
            Candidate.objects.filter(round=round, withdrawn=False)
            .select_related("teacher")
            .order_by(pinyin("teacher__name"), "pk")
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Record the recusal")))

    def clean(self):
        data = super().clean()
        if data.get("whole") is False and not data.get("candidates") and not self.errors:
            self.add_error("candidates", _("Choose the candidates, or the whole round."))
        return data
