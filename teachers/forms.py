from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import DATE, Form, ModelForm
from core.models import TeachingGroup
from core.upload_checks import check_file

from .models import Post, PostHeld, Teacher, Title, TitleAward


class TeacherForm(ModelForm):
    posts = forms.MultipleChoiceField(
        label=_("Posts"), choices=Post.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Teacher
        fields = [
            "school", "staff_no", "name", "gender", "birth_date", "career_start", "education",
            "title", "subject", "grades", "group", "posts", "phone", "email", "is_active",
            "left_on", "photo",
        ]  # fmt: skip
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "career_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "is_active": _(
                "Unticked: the teacher left, and their roles at the school end (login, committee, "
                "training office, principal); their records stay. Ticking it again does not "
                "give the roles back."
            ),
        }

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if self.instance.pk:
            self.fields["school"].disabled = True
            school_ids = [self.instance.school_id]
        else:
            school_ids = list(schools.values_list("pk", flat=True))
            if len(school_ids) == 1:
                self.fields["school"].initial = school_ids[0]
        self.fields["group"].queryset = TeachingGroup.objects.filter(school_id__in=school_ids)
        # With a title history or posts with dates, those keep the fields in step.
        if self.instance.pk and self.instance.title_awards.exists():
            self.fields["title"].disabled = True
            self.fields["title"].help_text = _("Follows the title history on the teacher's page.")
        if self.instance.pk and self.instance.posts_held.exists():
            self.fields["posts"].disabled = True
            self.fields["posts"].help_text = _("Follows the posts held on the teacher's page.")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("school"), Column("staff_no"), Column("name")),
            Row(Column("gender"), Column("birth_date"), Column("career_start")),
            Row(Column("education"), Column("title"), Column("subject")),
            Row(Column("grades"), Column("group")),
            "posts",
            Row(Column("phone"), Column("email")),
            Row(Column("is_active"), Column("left_on")),
            "photo",
        )
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload, not the stored file
            try:
                check_file(
                    photo,
                    types=settings.TEACHER_PHOTO_TYPES,
                    max_mb=settings.TEACHER_PHOTO_MAX_MB,
                )
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return photo

    def clean(self):
        data = super().clean()
        # A new teacher whose school was refused (not one the user keeps) has no school yet.
        school = data.get("school") or (self.instance.school if self.instance.school_id else None)
        group = data.get("group")
        if group and school and group.school_id != school.pk:
            self.add_error("group", _("This group belongs to another school."))
        birth, start = data.get("birth_date"), data.get("career_start")
        if birth and start and start.year - birth.year < 16:
            self.add_error("career_start", _("Teaching cannot start before the age of 16."))
        if data.get("is_active") is False and not data.get("left_on"):
            self.add_error("left_on", _("Give the date the teacher left."))
        return data


class PostHeldForm(ModelForm):
    class Meta:
        model = PostHeld
        fields = ["post", "started_on", "ended_on", "note"]
        widgets = {"started_on": DATE, "ended_on": DATE}
        help_texts = {"ended_on": _("Leave empty while the post is held.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("post"), Column("started_on"), Column("ended_on")), "note"
        )


class TitleAwardForm(ModelForm):
    class Meta:
        model = TitleAward
        fields = ["title", "awarded_on", "note"]
        widgets = {"awarded_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].choices = [c for c in Title.choices if c[0] != Title.NONE]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Row(Column("title"), Column("awarded_on")), "note")


class PostEndForm(Form):
    ended_on = forms.DateField(label=_("Until"), widget=DATE)
