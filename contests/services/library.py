"""Writes of the shared library: an author shares or unshares a verified record; the school's
principal or training office picks the year's best cases for the collection."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from records.models import Level, Paper, Record, Status

from ..models import SharedItem

PAPER_KINDS = {
    Paper.ResultKind.CASE: SharedItem.Kind.CASE,
    Paper.ResultKind.DESIGN: SharedItem.Kind.DESIGN,
    Paper.ResultKind.COURSEWARE: SharedItem.Kind.COURSEWARE,
    Paper.ResultKind.STORY: SharedItem.Kind.STORY,
}


def shared_kind(record: Record) -> str | None:
    """The library's kind of a record, or None when it cannot be shared."""
    if record.kind == "paper":
        return PAPER_KINDS.get(record.paper.result_kind)
    if record.kind == "reading":
        return SharedItem.Kind.REFLECTION
    return None


def may_reach_district(record: Record) -> bool:
    """Shared beyond the school: a result awarded or published at district level or above."""
    return record.kind == "paper" and (record.paper.award_level or 0) >= Level.DISTRICT


@transaction.atomic
def item_share(*, record: Record, reach: str, by) -> SharedItem:
    """The author shares their verified record (sharing again changes only the reach)."""
    record = Record.objects.select_related("teacher", "paper").get(pk=record.pk)
    if record.teacher.user_id is None or record.teacher.user_id != by.pk:
        raise PermissionDenied
    kind = shared_kind(record)
    if record.status != Status.VERIFIED or kind is None:
        raise ValidationError(
            _("Only verified cases, teaching designs, courseware, teaching stories and "
              "reflections can be shared.")
        )  # fmt: skip
    if reach not in SharedItem.Reach.values:
        raise ValidationError(_("Choose whom to share it with."))
    if reach == SharedItem.Reach.DISTRICT and not may_reach_district(record):
        raise ValidationError(
            _("Only results awarded or published at district level or above are shared with "
              "the whole district.")
        )  # fmt: skip
    item, created = SharedItem.objects.get_or_create(
        record=record, defaults={"kind": kind, "reach": reach}
    )
    if not created and item.reach != reach:
        item.reach = reach
        item.save(update_fields=["reach"])
    return item


@transaction.atomic
def item_unshare(*, record: Record, by) -> bool:
    if record.teacher.user_id != by.pk:
        raise PermissionDenied
    return SharedItem.objects.filter(record=record).delete()[0] > 0


@transaction.atomic
def item_select(*, item: SharedItem, selected: bool, by) -> SharedItem:
    """Into or out of the year's collection of best cases (优秀案例集)."""
    if not SharedItem.objects.editable_by(by).filter(pk=item.pk).exists():
        raise PermissionDenied
    item.selected, item.selected_by = selected, by if selected else None
    item.save(update_fields=["selected", "selected_by"])
    return item
