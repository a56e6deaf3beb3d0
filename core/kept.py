"""Counts kept a few minutes: what a district or city page counts across thousands of teachers
is counted once per COUNT_SECONDS, and the page says when (统计于) and offers to count again
(重新统计)."""

import datetime
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone

COUNT_SECONDS = 300
T = TypeVar("T")


def kept(
    key: str, count: Callable[[], T], *, refresh: bool = False, seconds: int = COUNT_SECONDS
) -> tuple[T, datetime.datetime]:
    """(what ``count`` returns, when it was counted): kept under ``key`` for ``seconds``;
    ``refresh`` counts again."""
    found = None if refresh else cache.get(key)
    if found is None:
        found = (count(), timezone.now())
        cache.set(key, found, seconds)
    return found
