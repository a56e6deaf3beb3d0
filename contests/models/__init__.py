"""Competitions (contests) and the shared library of teaching results (library)."""

from .contests import (
    Category,
    Contest,
    ContestQuerySet,
    Entry,
    EntryQuerySet,
    Prize,
    entry_upload_to,
)
from .library import SharedItem, SharedItemQuerySet

__all__ = [
    "Category", "Contest", "ContestQuerySet", "Entry", "EntryQuerySet", "Prize", "SharedItem",
    "SharedItemQuerySet", "entry_upload_to",
]  # fmt: skip
