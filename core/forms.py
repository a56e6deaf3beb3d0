import datetime
import functools

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .converters import MAX_ID
from .fields import LONG_TEXT
from .tabular import file_too_large_message
from .validators import reject_control_characters
from .wording import FileExtensionValidator, use_gugan_messages

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A one-line text field that sets no maximum of its own (a search, a hidden "next").
SINGLE_LINE_TEXT = 1_000


def guard_text_fields(fields) -> None:
    """Give every text field of a form what Gugan asks of all of them: a maximum length
    (LONG_TEXT for a textarea, SINGLE_LINE_TEXT otherwise, unless the field sets one), and
    the refusal of control characters (a NUL byte, a backspace), which break the files made
    from the text for everyone; a one-line field refuses tabs and line breaks too. Passwords
    are left as typed. Every field gets Gugan's wording of Django's stock messages
    (core.wording). Running it twice changes nothing."""
    for field in fields.values():
        if isinstance(field, forms.CharField):
            _guard_text_field(field)
        use_gugan_messages(field)


def _guard_text_field(field: forms.CharField) -> None:
    if getattr(field, "_gugan_guarded", False):
        return
    field._gugan_guarded = True
    if isinstance(field.widget, forms.PasswordInput):
        return
    multi_line = isinstance(field.widget, forms.Textarea)
    if field.max_length is None:
        field.max_length = LONG_TEXT if multi_line else SINGLE_LINE_TEXT
        field.validators.append(MaxLengthValidator(field.max_length))
        field.widget.attrs.update(field.widget_attrs(field.widget))
    # Django's own NUL check would say the same thing a second time, in other words.
    field.validators[:] = [
        v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
    ]
    field.validators.append(
        functools.partial(reject_control_characters, single_line=not multi_line)
    )


# What Django puts first in a menu nobody has chosen from yet: it reads as a rendering fault.
STOCK_EMPTY_CHOICE = "---------"


def label_empty_choices(fields, label) -> None:
    """Give the empty first entry of every menu the words ``label`` instead of Django's
    dashes; a label a form chose itself ("All kinds", "Whole year") is kept."""
    for field in fields.values():
        if getattr(field, "empty_label", None) == STOCK_EMPTY_CHOICE:
            field.empty_label = label  # ModelChoiceField and django-filter's fields
            # The widget's copy of the choices may read the label of the field it was copied
            # from (django-filter's ChoiceField): give it this field's.
            field.widget.choices = field.choices
        elif isinstance(field, forms.ChoiceField) and not hasattr(field, "empty_label"):
            choices = list(field.choices)
            if any(value == "" and text == STOCK_EMPTY_CHOICE for value, text in choices):
                field.choices = [
                    (value, label if value == "" and text == STOCK_EMPTY_CHOICE else text)
                    for value, text in choices
                ]


class TextGuardMixin:
    """Every form of Gugan has it (tests/test_forms.py walks them all): see
    guard_text_fields. Fields added in a subclass's __init__ are guarded when the form is
    cleaned. The empty entry of a menu reads ``empty_choice_label`` (a filter: "All")."""

    empty_choice_label = _("Choose…")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self.fields)

    def __getitem__(self, name):
        # When the field is shown: a subclass's __init__ may have set its choices after ours.
        label_empty_choices({name: self.fields[name]}, self.empty_choice_label)
        return super().__getitem__(name)

    def full_clean(self):
        guard_text_fields(self.fields)
        super().full_clean()


class Form(TextGuardMixin, forms.Form):
    pass


class FilterForm(Form):
    """The form of a list's filters: a menu left empty means every value."""

    empty_choice_label = _("All")


class ModelForm(TextGuardMixin, forms.ModelForm):
    pass


class ImportFileField(forms.FileField):
    """The spreadsheet of an import (.xlsx or .csv), at most IMPORT_MAX_UPLOAD_MB."""

    default_validators = [FileExtensionValidator(["xlsx", "csv"])]

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("An .xlsx or .csv file with the column headers in the first row.")
        )
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(file_too_large_message())
        return upload


def is_id(value) -> bool:
    """A string a database id could be: digits only, at least 1, at most MAX_ID."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


def parse_ids(values) -> set[int]:
    """The ids among values posted by hand (checkbox lists): anything else is dropped."""
    return {int(str(v).strip()) for v in values if is_id(v)}


class ModelIdField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses numbers no id can be with its usual field error: on a
    model inheriting another's table, the lookup by such a number fails in SQLite."""

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if self.to_field_name is None and text.isdigit() and not is_id(text):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses numbers no id can be (past 64 bits) with its
    usual field error before the database sees them: SQLite cannot bind them and fails."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                text = str(pk).strip()
                if text.isdigit() and not is_id(text):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


class LoginForm(TextGuardMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's Chinese: "请输入一个正确的用户名和密码。注意，两者都区分大小写。"
        "invalid_login": _(
            "The username or the password is wrong. Check both (capital and small letters "
            "differ) and try again."
        ),
        "inactive": _(
            "This login is switched off: it no longer holds a role at any school (for example "
            "after leaving the school). If you are back on staff, ask your school's principal "
            "or training office to give your login back."
        ),
        "password_login_off": _(
            "Password login is switched off for teachers and school staff: sign in with your "
            "district account instead. Administrators: check your username and password."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Log in"), css_class="w-100"))

    def clean(self):
        try:
            return super().clean()
        except ValidationError as exc:
            if exc.code == "invalid_login" and self._is_switched_off():
                raise ValidationError(self.error_messages["inactive"], code="inactive") from exc
            if exc.code == "invalid_login" and self._only_administrators():
                raise ValidationError(
                    self.error_messages["password_login_off"], code="password_login_off"
                ) from exc
            raise

    @staticmethod
    def _only_administrators() -> bool:
        """PASSWORD_LOGIN off (README "Single sign-on"): a refusal says so, whatever the
        password, so it reveals nothing about the password.
        With LDAP on this form takes the directory password, so the usual message stands."""
        return not settings.PASSWORD_LOGIN and not settings.LDAP_ENABLED

    def _is_switched_off(self) -> bool:
        """The right password of a login that was switched off: say why it cannot sign in,
        rather than that the password is wrong. The failed attempt still counts for the
        lockout (django-axes saw it), and a wrong password learns nothing."""
        user_model = get_user_model()
        username = self.cleaned_data.get("username")
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        return (
            user is not None
            and not user.is_active
            and user.check_password(self.cleaned_data.get("password") or "")
        )


class PasswordChangeForm(TextGuardMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": _("The current password is wrong. Enter it again."),
        "password_mismatch": _("The two new passwords differ. Type the same one twice."),
    }


class SchoolYearForm(Form):
    """A school year and its two semesters, edited together."""

    start_year = forms.IntegerField(label=_("Start year"), min_value=2000, max_value=2100)
    start_date = forms.DateField(label=_("Year starts"), widget=DATE)
    end_date = forms.DateField(label=_("Year ends"), widget=DATE)
    first_start = forms.DateField(label=_("First semester starts"), widget=DATE)
    first_end = forms.DateField(label=_("First semester ends"), widget=DATE)
    second_start = forms.DateField(label=_("Second semester starts"), widget=DATE)
    second_end = forms.DateField(label=_("Second semester ends"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("start_year"), Column("start_date"), Column("end_date")),
            Fieldset(_("First semester"), Row(Column("first_start"), Column("first_end"))),
            Fieldset(_("Second semester"), Row(Column("second_start"), Column("second_end"))),
        )
        self.helper.add_input(Submit("submit", _("Save")))

    @staticmethod
    def initial_for(start_year: int) -> dict:
        return {
            "start_year": start_year,
            "start_date": datetime.date(start_year, 9, 1),
            "end_date": datetime.date(start_year + 1, 8, 31),
            "first_start": datetime.date(start_year, 9, 1),
            "first_end": datetime.date(start_year + 1, 1, 20),
            "second_start": datetime.date(start_year + 1, 2, 20),
            "second_end": datetime.date(start_year + 1, 7, 10),
        }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        order = [
            ("start_date", "first_start"),
            ("first_start", "first_end"),
            ("first_end", "second_start"),
            ("second_start", "second_end"),
            ("second_end", "end_date"),
        ]
        messages = {
            "first_start": _("The first semester must start within the school year."),
            "first_end": _("A semester must end after it starts."),
            "second_start": _("The second semester must start after the first one ends."),
            "second_end": _("A semester must end after it starts."),
            "end_date": _("The school year must end after its second semester."),
        }
        dates = dict(data)  # add_error() removes fields from cleaned_data as it goes
        for before, after in order:
            if dates[after] < dates[before] or (
                before != "start_date" and dates[after] == dates[before]
            ):
                self.add_error(after, messages[after])
        if dates["start_date"].year != dates["start_year"]:
            self.add_error("start_date", _("The school year must start in its start year."))
        return data


class HolidayForm(Form):
    name = forms.CharField(label=_("Holiday"), max_length=50)
    start_date = forms.DateField(label=_("From"), widget=DATE)
    end_date = forms.DateField(label=_("To"), widget=DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("A holiday must end on or after its first day."))
        return data


def form_helper(*layout) -> FormHelper:
    """A crispy helper for a form rendered inside the page's own <form> tag."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the field exists."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def form_in_words(form: forms.Form) -> str:
    """What a bound filter form was set to, in words, for My files: "Subject: 语文 · Tier:
    校级骨干教师". Fields left empty or refused drop out; the values read as on the page."""
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    parts = []
    for name, field in form.fields.items():
        raw = form.data.get(name) if hasattr(form.data, "get") else None
        value = cleaned.get(name)
        if raw in (None, "") or value in (None, "", [], ()):
            continue
        if isinstance(field, forms.ModelMultipleChoiceField):
            text = "、".join(str(obj) for obj in value)
        elif isinstance(field, forms.ModelChoiceField):
            text = str(value)
        elif isinstance(field, forms.ChoiceField):
            labels = {str(key): label for key, label in field.choices}
            text = str(labels.get(str(raw), raw))
        else:
            text = str(value)
        parts.append(_("%(field)s: %(value)s") % {"field": field.label, "value": text})
    return " · ".join(parts)


class SearchSelect(forms.Select):
    """A menu that becomes a search field when its choices grow with the data (the teaching-
    research groups of a district: hundreds; of a city: thousands). Up to ``limit`` choices it
    is a plain menu. Beyond that the menu holds only "All" and the chosen value, and a search
    box beside it fills it with the matching choices from ``search_url`` (htmx), so the page
    costs the same for a school of 60 teachers and a city of 20,000."""

    template_name = "core/widgets/search_select.html"

    def __init__(self, *, search_url: str, placeholder: str = "", limit: int = 40, attrs=None):
        super().__init__(attrs)
        self.search_url = search_url
        self.placeholder = placeholder
        self.limit = limit

    def get_context(self, name, value, attrs):
        queryset = getattr(self.choices, "queryset", None)
        self.searching = False
        if queryset is not None:
            head = list(queryset[: self.limit + 1])
            if len(head) > self.limit:
                self.searching = True
                chosen = [v for v in (value if isinstance(value, list | tuple) else [value]) if v]
                head = list(queryset.filter(pk__in=[v for v in chosen if str(v).isdigit()]))
            field = self.choices.field
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            self.choices = empty + [self.choices.choice(obj) for obj in head]
        context = super().get_context(name, value, attrs)
        context["widget"]["searching"] = self.searching
        context["widget"]["search_url"] = str(self.search_url)
        context["widget"]["placeholder"] = self.placeholder
        return context


def group_label(group) -> str:
    """A teaching-research group as menus name it: with its school, since every school has
    its own 语文组."""
    return f"{group.school.name} · {group.name}"


def use_group_search(
    field: forms.ModelChoiceField, *, kind: str = "", many_schools: bool = True
) -> None:
    """The group menu of a filter: a search field once the user's groups are many (answered
    by core.views.group_search), labelled with their schools when the user sees several."""
    url = reverse("group_search") + (f"?kind={kind}" if kind else "")
    field.widget = SearchSelect(search_url=url, placeholder=_("Type a group or school name"))
    field.widget.choices = field.choices
    if many_schools:
        field.label_from_instance = group_label
