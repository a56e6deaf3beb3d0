"""Chinese names in the order a school office expects: by pinyin.

PostgreSQL sorts with its ICU collation ``zh-x-icu`` (pinyin order for simplified Chinese).
SQLite has no such collation: there the order falls back to the plain name, which is the
character-code order (the development and test database only)."""

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

PINYIN_COLLATION = "zh-x-icu"


def pinyin(field: str):
    """An expression for ``order_by`` that sorts ``field`` by pinyin where the database can."""
    if connection.vendor == "postgresql":
        return Collate(F(field), PINYIN_COLLATION)
    return F(field)
