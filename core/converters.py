"""Path converters. ``<id:pk>`` is ``<int:pk>`` bounded to what a database id can hold: a
longer run of digits is a 404 from the URL resolver, not an overflow in the database driver
(SQLite refuses integers past 64 bits with an error, a 500)."""

from django.urls import register_converter

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,18}"  # every 18-digit number is below MAX_ID

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
