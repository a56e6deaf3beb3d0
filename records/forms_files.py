"""The files chosen on the entry page: several at once, saved with the record in one request.
Their content is checked by records.services.files when they are attached."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import Form

from .files import accepted_extensions, upload_help
from .models import Attachment


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A list of uploads (possibly empty), each cleaned like a single FileField."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data]
        single = super().clean
        return [single(item, initial) for item in items if item]


class EntryFilesForm(Form):
    files = MultipleFileField(label=_("Files"))
    files_role = forms.ChoiceField(label=_("What they are"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_entry_%s")
        super().__init__(*args, **kwargs)
        self.fields["files_role"].choices = [
            ("", _("Decided by each file")),
            *Attachment.Role.choices,
        ]
        self.fields["files"].widget.attrs.update(
            {"accept": accepted_extensions(), "class": "form-control"}
        )
        self.fields["files_role"].widget.attrs["class"] = "form-select"
        self.fields["files"].help_text = upload_help()

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        limit = settings.RECORD_UPLOAD_MAX_FILES
        if len(uploads) > limit:
            raise forms.ValidationError(
                ngettext(
                    "Choose at most %(limit)d file at once.",
                    "Choose at most %(limit)d files at once.",
                    limit,
                )
                % {"limit": limit}
            )
        seen = set()
        for upload in uploads:
            key = (upload.name, upload.size)
            if key in seen:
                raise forms.ValidationError(
                    _("%(name)s was chosen twice; choose each file once.") % {"name": upload.name}
                )
            seen.add(key)
        return uploads
