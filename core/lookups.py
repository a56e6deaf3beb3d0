"""``field__any=[ids]``: membership in a long list of ids, as one parameter.

``field__in=[...]`` compiles, quotes and sends one parameter per id: for the 20,000 teachers
of a city that is 20 ms of Python to build the SQL and 20 ms more for the driver and
PostgreSQL to take it apart, for each of the several queries a page makes of the same ids.
On PostgreSQL ``field = ANY(%s)`` sends the ids as one array (the plan is the same: PostgreSQL
turns an IN list into that array itself). Other databases (SQLite in the quick start) get the
plain IN list. Use it for lists of integer ids; for a subquery use ``__in`` with a queryset.
"""

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        if isinstance(self.rhs, models.QuerySet):
            raise TypeError("__any takes a list of ids; use __in for a queryset")
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *self.rhs]


def register() -> None:
    models.IntegerField.register_lookup(AnyOf)  # the automatic primary keys too
    models.ForeignKey.register_lookup(AnyOf)
