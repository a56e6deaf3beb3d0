"""The shared library (资源库): search what colleagues shared, share one's own verified work,
download a shared item's files, and (the school's managers) choose and print the year's
collection of best cases."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backbone.models import Tier
from core.files import download_response
from core.forms import Form, ModelIdField, is_id
from core.jobs import job_create
from core.models import School, school_year_start
from records.models import Attachment, Record

from .. import collection, selectors
from ..models import SharedItem
from ..services import library as services


class SearchForm(Form):
    text = forms.CharField(label=gettext_lazy("Title"), max_length=100, required=False)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=30, required=False)
    grade = forms.CharField(label=gettext_lazy("School grade"), max_length=50, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    tier = ModelIdField(label=gettext_lazy("Author's tier"), queryset=Tier.objects.none(),
                        required=False)  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", gettext_lazy("All")), *SharedItem.Kind.choices]
        scope = user.scope
        districts = set(scope.district_ids) | {s.district_id for s in scope.schools()}
        districts |= set(
            School.objects.filter(pk__in=scope.school_roles).values_list("district_id", flat=True)
        )
        self.fields["tier"].queryset = Tier.objects.filter(district_id__in=districts)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm"


def library(request):
    form = SearchForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.library_search(
        user=request.user, **{k: v for k, v in filters.items() if v}
    ).prefetch_related(
        Prefetch("record__attachments", Attachment.objects.filter(removed_at__isnull=True),
                 to_attr="files")
    )  # fmt: skip
    managed = request.user.scope.managed_school_ids
    context = {
        "form": form,
        "items": items[:100],
        "count": items.count(),
        "mine": selectors.shareable_records(user=request.user),
        "managed": managed,
        "collection_school": min(managed) if managed else None,
        "year": school_year_start(timezone.localdate()),
        "reaches": SharedItem.Reach.choices,
    }
    return render(request, "contests/library.html", context)


def _own_record(request, pk: int) -> Record:
    record = Record.objects.filter(pk=pk, teacher__user_id=request.user.pk).first()
    if record is None:
        raise Http404
    return record


@require_POST
def library_share(request, pk: int):
    record = _own_record(request, pk)
    try:
        services.item_share(record=record, reach=request.POST.get("reach", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Shared in the library."))
    return redirect("contests:library")


@require_POST
def library_unshare(request, pk: int):
    services.item_unshare(record=_own_record(request, pk), by=request.user)
    messages.success(request, _("Taken out of the library."))
    return redirect("contests:library")


@require_POST
def library_select(request, pk: int):
    item = selectors.get_shared_item(user=request.user, pk=pk)
    services.item_select(item=item, selected=request.POST.get("selected") == "1", by=request.user)
    return redirect("contests:library")


def library_file(request, pk: int):
    """A file of a shared record, for whoever may see the shared item."""
    attachment = Attachment.objects.filter(pk=pk, removed_at__isnull=True).first()
    if attachment is None or not attachment.file:
        raise Http404
    shared = SharedItem.objects.visible_to(request.user).filter(record_id=attachment.record_id)
    if not shared.exists():
        raise Http404
    return download_response(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
def collection_print(request):
    school_id = request.POST.get("school", "")
    year = request.POST.get("year", "")
    if not is_id(school_id) or not (year.isdigit() and len(year) == 4):
        raise Http404
    if int(school_id) not in request.user.scope.managed_school_ids:
        raise PermissionDenied
    job = job_create(
        kind=collection.JOB_KIND,
        requested_by=request.user,
        params={"year": int(year)},
        school=School.objects.get(pk=school_id),
        force=True,
    )
    return redirect("job", pk=job.pk)


urlpatterns = [
    path("library/", library, name="library"),
    path("library/records/<id:pk>/share/", library_share, name="library_share"),
    path("library/records/<id:pk>/unshare/", library_unshare, name="library_unshare"),
    path("library/<id:pk>/select/", library_select, name="library_select"),
    path("library/files/<id:pk>/", library_file, name="library_file"),
    path("library/collection/", collection_print, name="collection_print"),
]
