"""Committee score sheets, shared by selection rounds (backbone) and assessment rounds: the
cell-by-cell validation and the minimal writes of a draft sheet."""

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models


def _score_value(raw, max_score: int) -> Decimal | None:
    """The score as a Decimal, or None when it is not 0..max with one decimal place."""
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    if not (0 <= value <= max_score) or value != value.quantize(Decimal("0.1")):
        return None
    return value


def score_cells_write(
    *,
    values: Mapping[tuple[int, int], object],
    rows: Mapping[int, object],
    columns: Mapping[int, object],
    existing: Mapping[tuple[int, int], models.Model],
    model: type[models.Model],
    build: Callable[[object, object, Decimal], models.Model],
    invalid: Callable[[object, object], str],
    unknown: str,
) -> None:
    """Write a draft: ``values`` by (row id, column id), where a row is a candidate or an
    assessed teacher and a column a criterion or component with ``max_score``. An empty value
    clears its cell. Every bad cell is reported (``invalid`` words the message) and nothing is
    written unless all are good."""
    errors, to_create, to_update, to_delete = [], [], [], []
    for key, raw in values.items():
        row, column = rows.get(key[0]), columns.get(key[1])
        if row is None or column is None:
            raise ValidationError(unknown)
        if raw is None or raw == "":
            if key in existing:
                to_delete.append(existing[key].pk)
            continue
        value = _score_value(raw, column.max_score)
        if value is None:
            errors.append(invalid(row, column))
        elif key not in existing:
            to_create.append(build(row, column, value))
        elif existing[key].value != value:
            existing[key].value = value
            to_update.append(existing[key])
    if errors:
        raise ValidationError(errors)
    model.objects.filter(pk__in=to_delete).delete()
    model.objects.bulk_update(to_update, ["value"])
    model.objects.bulk_create(to_create)
