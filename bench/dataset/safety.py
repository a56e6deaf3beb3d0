"""Safety: refuse, or wipe with --reset."""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from core.models import District

from .constants import BENCH_PREFIX, PROJECT_APPS


def existing_data(code_prefix: str = BENCH_PREFIX) -> tuple[bool, bool]:
    """(the benchmark dataset is there, other data is there)."""
    bench = District.objects.filter(code__startswith=code_prefix).exists()
    other = District.objects.exclude(code__startswith=code_prefix).exists()
    return bench, other


def wipe() -> None:
    """Empty every table of the project's apps (and sessions and the admin log). Only for a
    database that holds nothing but the benchmark dataset: the command checks that first."""
    tables = {"django_session", "django_admin_log"}
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    statements = connection.ops.sql_flush(
        no_style(), sorted(tables & existing), reset_sequences=True, allow_cascade=True
    )
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:  # checks still pending in this transaction would block TRUNCATE
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
