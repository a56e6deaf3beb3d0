"""Requesting dossiers: one teacher's, or a batch for a school. Both create a job and send the
user to its page, where the progress bar runs and the file appears."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backbone.models import Tier
from core.forms import Form, ModelIdsField
from core.jobs import job_create
from core.models import School, TeachingGroup
from core.wording import in_brackets
from teachers.models import Teacher

from ..dossier import batch_teachers, dossier_fingerprint, teachers_for, with_data_stamps


def can_print_dossier(user, teacher: Teacher) -> bool:
    """The school's principal or training office, its district office, or the teacher."""
    scope = user.scope
    return (
        scope.can_manage_school(teacher.school_id)
        or teacher.school.district_id in scope.district_ids
        or (teacher.user_id is not None and teacher.user_id == user.pk)
    )


def _language() -> str:
    return translation.get_language() or "zh-hans"


@require_POST
def dossier_request(request, pk: int):
    teacher = with_data_stamps(teachers_for(request.user)).filter(pk=pk).first()
    if teacher is None:
        raise Http404
    if not can_print_dossier(request.user, teacher):
        raise PermissionDenied
    job = job_create(
        kind="teacher_dossier",
        requested_by=request.user,
        params={"teacher": teacher.pk, "label": f"{teacher.name}{in_brackets(teacher.staff_no)}"},
        school=teacher.school,
        fingerprint=dossier_fingerprint(teachers=[teacher], language=_language()),
    )
    return redirect("job", pk=job.pk)


def batch_schools(user):
    scope = user.scope
    schools = School.objects.select_related("district").order_by("code")
    if scope.is_superuser:
        return schools
    return schools.filter(pk__in=scope.managed_school_ids) | schools.filter(
        district_id__in=scope.district_ids
    )


class BatchDossierForm(Form):
    FORMATS = [
        ("zip", gettext_lazy("A ZIP file with one PDF per teacher")),
        ("combined", gettext_lazy("One PDF with a table of contents")),
    ]
    school = forms.ModelChoiceField(queryset=School.objects.none(), label=gettext_lazy("School"))
    tier = forms.ModelChoiceField(
        queryset=Tier.objects.none(), required=False, label=gettext_lazy("Current tier")
    )
    group = forms.ModelChoiceField(
        queryset=TeachingGroup.objects.none(),
        required=False,
        label=gettext_lazy("Teaching-research group"),
    )
    teachers = ModelIdsField(
        queryset=Teacher.objects.none(),
        required=False,
        label=gettext_lazy("Only these teachers"),
        help_text=gettext_lazy("Leave empty for every teacher matching the filters."),
    )
    format = forms.ChoiceField(choices=FORMATS, initial="zip", label=gettext_lazy("Format"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = batch_schools(user)
        self.fields["school"].queryset = schools
        self.fields["tier"].queryset = Tier.objects.filter(
            district__schools__in=schools, kind=Tier.Kind.TIER
        ).distinct()
        self.fields["group"].queryset = TeachingGroup.objects.filter(school__in=schools)
        self.fields["teachers"].queryset = teachers_for(user).filter(
            school__in=schools, is_active=True
        )

    def clean(self):
        data = super().clean()
        school = data.get("school")
        if school is None:
            return data
        # A field whose ids were refused (not numbers, unknown, another school's) is missing
        # from the cleaned data and already carries its error.
        group, teachers = data.get("group"), data.get("teachers") or []
        if group is not None and group.school_id != school.pk:
            self.add_error("group", _("Choose from the selected school only."))
        if any(teacher.school_id != school.pk for teacher in teachers):
            self.add_error("teachers", _("Choose from the selected school only."))
        return data


def dossier_batch(request):
    if not batch_schools(request.user).exists():
        raise Http404
    form = BatchDossierForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        school = data["school"]
        params = {
            "format": data["format"],
            "tier": data["tier"].pk if data["tier"] else None,
            "group": data["group"].pk if data["group"] else None,
            "teachers": sorted(t.pk for t in data["teachers"]),
        }
        teachers = list(
            with_data_stamps(batch_teachers(user=request.user, school_id=school.pk, params=params))
        )
        if not teachers:
            form.add_error(None, _("No teacher matches this selection."))
        else:
            # In words, for My files: what was chosen, not the ids.
            chosen = [
                school.name,
                data["tier"].label if data["tier"] else "",
                data["group"].name if data["group"] else "",
                str(dict(form.fields["format"].choices).get(data["format"], "")),
            ]
            params["label"] = _("%(school)s, %(count)s teachers") % {
                "school": " · ".join(part for part in chosen if part),
                "count": len(teachers),
            }
            job = job_create(
                kind="batch_dossiers",
                requested_by=request.user,
                params=params,
                school=school,
                fingerprint=dossier_fingerprint(
                    teachers=teachers,
                    language=_language(),
                    extra={k: params[k] for k in ("format", "tier", "group", "teachers")},
                ),
            )
            return redirect("job", pk=job.pk)
    return render(request, "documents/dossier/batch_form.html", {"form": form})
