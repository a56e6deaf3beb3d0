"""A member's sheet: saving a draft cell by cell, and submitting it. The owner locks its row
and checks that its round is in the scoring stage before calling these."""

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User

from ..models import Entrant, Mark, Panel, Sheet
from ..selectors import membership_of, scored_by


def keyed(
    values: Mapping[tuple[int, int], object], *, rows: Mapping[int, int], columns=None
) -> dict[tuple[int | None, int | None], object]:
    """Values by the owner's (row id, column id) as values by (entrant id, item id): ``rows``
    maps a row (candidate, entry) to its entrant, ``columns`` a column to its item (none: the
    columns are the items). Unknown ids become None, which ``marks_save`` refuses."""
    return {
        (rows.get(r), c if columns is None else columns.get(c)): v for (r, c), v in values.items()
    }


def _score_value(raw, max_score: int) -> Decimal | None:
    """The score as a Decimal, or None when it is not 0..max with one decimal place."""
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    if not value.is_finite() or not (0 <= value <= max_score):
        return None
    if value != value.quantize(Decimal("0.1")):
        return None
    return value


def sheet_for_writing(*, panel: Panel, member: User, scoring_open: bool = True) -> Sheet:
    """The member's draft sheet, created on first use; refuses while the owner's round is not
    scoring, and refuses recused members, members who left and submitted sheets."""
    if not scoring_open:
        raise ValidationError(_("Scores can be entered only while the committee is scoring."))
    membership = membership_of(panel=panel, user=member)
    if membership is None or not membership.is_active:
        raise PermissionDenied(_("Only members of this round's committee can score."))
    sheet, _created = Sheet.objects.get_or_create(panel=panel, member=member)
    sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.submitted_at is not None:
        raise ValidationError(_("Your score sheet has been submitted and is final."))
    return sheet


@transaction.atomic
def marks_save(
    *,
    panel: Panel,
    member: User,
    values: Mapping[tuple[int | None, int | None], object],
    name: Callable[[Entrant], str],
    unknown: str,
    scoring_open: bool = True,
) -> Sheet:
    """Write a draft: ``values`` by (entrant id, item id); an empty value clears its cell.
    Every bad cell is reported (``name`` names the entrant) and nothing is written unless all
    are good. Entrants the member does not score (themselves, recused) are unknown."""
    sheet = sheet_for_writing(panel=panel, member=member, scoring_open=scoring_open)
    entrants = {e.pk: e for e in scored_by(panel=panel, member=member)}
    items = {i.pk: i for i in panel.items.all()}
    existing = {(m.entrant_id, m.item_id): m for m in sheet.marks.all()}
    errors, to_create, to_update, to_delete = [], [], [], []
    for key, raw in values.items():
        entrant, item = entrants.get(key[0]), items.get(key[1])
        if entrant is None or item is None:
            raise ValidationError(unknown)
        if raw is None or raw == "":
            if key in existing:
                to_delete.append(existing[key].pk)
            continue
        value = _score_value(raw, item.max_score)
        if value is None:
            errors.append(
                _("%(name)s, %(item)s: give a score from 0 to %(max)d (one decimal place).")
                % {"name": name(entrant), "item": item.name, "max": item.max_score}
            )
        elif key not in existing:
            to_create.append(Mark(sheet=sheet, entrant=entrant, item=item, value=value))
        elif existing[key].value != value:
            existing[key].value = value
            to_update.append(existing[key])
    if errors:
        raise ValidationError(errors)
    Mark.objects.filter(pk__in=to_delete).delete()
    Mark.objects.bulk_update(to_update, ["value"])
    Mark.objects.bulk_create(to_create)
    return sheet


@transaction.atomic
def sheet_submit(
    *, panel: Panel, member: User, incomplete: Callable[[int], str], scoring_open: bool = True
) -> Sheet:
    """Submit a complete sheet (every entrant the member scores, on every item); it is final.
    ``incomplete`` words the refusal from the number of missing marks."""
    sheet = sheet_for_writing(panel=panel, member=member, scoring_open=scoring_open)
    entrant_ids = set(scored_by(panel=panel, member=member).values_list("pk", flat=True))
    item_count = panel.items.count()
    filled = sheet.marks.filter(entrant_id__in=entrant_ids).count()
    missing = len(entrant_ids) * item_count - filled
    if missing:
        raise ValidationError(incomplete(missing))
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["submitted_at"])
    return sheet
