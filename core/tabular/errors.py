"""What goes wrong reading an uploaded file: a problem in one row, or a file that cannot be
read at all."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded file: its spreadsheet row (header = 1), the column header
    as it appears in the file ("" when the problem is not about one column), and why."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("row %(row)d, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class TableError(Exception):
    """The file cannot be read at all (wrong type, corrupt, not a spreadsheet)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RowErrors(list):
    """An import's row problems: the first ``IMPORT_MAX_ERRORS`` are kept to show, all are
    counted in ``total``, so a file with a million bad rows makes a short answer."""

    def __init__(self, errors: Iterable["RowError"] = (), *, limit: int | None = None):
        super().__init__()
        self.limit = settings.IMPORT_MAX_ERRORS if limit is None else limit
        self.total = 0
        self.extend(errors)

    def append(self, error: "RowError") -> None:
        self.total += 1
        if len(self) < self.limit:
            super().append(error)

    def extend(self, errors: Iterable["RowError"]) -> None:
        for error in errors:
            self.append(error)

    @classmethod
    def from_outcome(cls, outcome: dict) -> "RowErrors":
        """The problems a job kept in its outcome (core.import_jobs)."""
        errors = cls(
            (RowError(p["row"], p["column"], p["message"]) for p in outcome.get("problems", ())),
            limit=len(outcome.get("problems", ())),
        )
        errors.total = max(outcome.get("problems_total", 0), errors.total)
        return errors

    @property
    def truncated(self) -> bool:
        return self.total > len(self)

    def summary(self) -> str:
        """What a command or a job says about a refused file: "3 problems found; nothing was
        imported", or the total and how many are listed."""
        if self.truncated:
            return _(
                "%(total)s problems found, only the first %(shown)d are listed; nothing was "
                "imported."
            ) % {"total": number_format(self.total, force_grouping=True), "shown": len(self)}
        return ngettext(
            "%(count)d problem found; nothing was imported.",
            "%(count)d problems found; nothing was imported.",
            self.total,
        ) % {"count": self.total}
