"""The pieces of the complete data export (数据导出) that every app uses to describe its own
tables: the target, the columns taken from the models' fields, a table, and the registry the
apps fill from their ``dataexport_tables.py`` (the ``dataexport`` app walks it).

Columns come from the models' fields, headed by their verbose names in the requester's
language, so a field added to a model appears in the export without a change here. Foreign
keys to a model registered with ``register_named`` (a teacher, user, school, district, tier
or group) show its name; any other shows the ID of the row in that table's own sheet.
"""

import functools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .files import safe_filename
from .job_files import FileAudience, scores_visible_to_audience
from .models import District, School, TeachingGroup, User, school_year_label

# Fields holding the start year of a school year: shown as "2025–2026".
SCHOOL_YEAR_FIELDS = {
    "year",
    "first_year",
    "last_year",
    "by_year",
    "valid_from",
    "valid_until",
}


# -- what is exported ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportTarget:
    """The schools an export covers, resolved through the requester's scope."""

    user: User
    school_ids: tuple[int, ...]
    district_ids: tuple[int, ...]  # whose defaults (tiers, duties, templates) apply
    whole_district: bool
    name: str
    code: str

    @property
    def params(self) -> dict:
        key = "district" if self.whole_district else "school"
        pk = self.district_ids[0] if self.whole_district else self.school_ids[0]
        return {key: pk, "label": self.name}


# -- columns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a table. With ``fields`` (lookups such as ``teacher__name``), ``get`` takes
    those fields' values instead of the row's object (None: the one value as it is), and a
    table whose every column names its fields is read with ``values_list``: no model objects,
    which were a third of a records table's time."""

    header: str
    get: Callable[..., Any] | None
    fields: tuple[str, ...] = ()


def yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def name_of(obj) -> str:
    return "" if obj is None else str(obj)


# Foreign keys shown by name (joined in the query); any other is shown as its id, which
# points at the ID column of that table. Apps add theirs with register_named.
NAMED_MODELS: dict[type, Callable[[Any], str]] = {
    User: name_of,
    School: name_of,
    District: name_of,
    TeachingGroup: name_of,
}
# The same names from field values, for tables read with values_list: model → (the fields,
# the name from their values). A model missing here makes its tables read objects.
NAMED_FIELDS: dict[type, tuple[tuple[str, ...], Callable[..., str]]] = {
    User: (User.LABEL_FIELDS, User.label_of),
    School: (("name",), lambda name: name),
    District: (("name",), lambda name: name),
    TeachingGroup: (("name",), lambda name: name),
}


def register_named(
    model,
    show: Callable[[Any], str] = name_of,
    *,
    fields: tuple[str, ...] = (),
    show_values: Callable[..., str] | None = None,
) -> None:
    """``show`` names an object of ``model``; ``show_values`` names it from ``fields``."""
    NAMED_MODELS[model] = show
    if fields and show_values:
        NAMED_FIELDS[model] = (fields, show_values)


def named_column(header, path: str, model) -> Column:
    """The name of the ``model`` at ``path`` (``teacher``, ``record__teacher``), read as
    values where the model says how; empty when there is none."""
    if model in NAMED_FIELDS:
        fields, show_values = NAMED_FIELDS[model]

        # A teacher is named on each of their hundreds of records: named once per table.
        @functools.lru_cache(maxsize=8192)
        def get(*values):
            return "" if all(v is None for v in values) else show_values(*values)

        return Column(header, get, tuple(f"{path}__{f}" for f in fields))
    show = NAMED_MODELS.get(model, name_of)
    getter = _path_getter(path)
    return Column(header, lambda obj: show(getter(obj)))


def _label(labels: dict, value):
    return "" if value is None else labels.get(value, value)


def choice_label(model, name: str) -> Callable[[Any], str]:
    """A getter of the label of ``model``'s choice field ``name``, translated once per export:
    ``get_<name>_display()`` hashes every choice of the field on each call, a quarter of a
    records table's time."""
    field = model._meta.get_field(name)
    convert, get = _converter(field), attrgetter(field.attname)
    return get if convert is None else lambda obj: convert(get(obj))


def _converter(field) -> Callable[[Any], Any] | None:
    """What a stored value of ``field`` shows as; None: as it is."""
    if field.choices:
        # Labels translated once per export, not once per row.
        labels = {value: str(label) for value, label in field.flatchoices}
        return lambda value: _label(labels, value)
    if isinstance(field, models.BooleanField):
        return yes_no
    if field.name in SCHOOL_YEAR_FIELDS and isinstance(field, models.PositiveSmallIntegerField):
        return lambda value: "" if value is None else school_year_label(value)
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, ensure_ascii=False)
    return None


def field_column(model, name: str, header=None) -> Column:
    """The column of ``model``'s field ``name``, shown as the export shows that field."""
    field = model._meta.get_field(name)
    header = header or capfirst(str(field.verbose_name))
    return Column(header, _converter(field), (field.attname,))


def model_columns(
    model,
    *,
    local: bool = False,
    exclude: Iterable[str] = (),
    override: dict[str, Callable] | None = None,
) -> tuple[list[Column], list[str]]:
    """A column per field of ``model`` headed by its verbose name (in the active language),
    and the relations to join so that named foreign keys cost no extra query.

    ``local`` keeps only the fields of a child table (a record kind), without the record's."""
    override = override or {}
    exclude = set(exclude)
    fields = model._meta.local_concrete_fields if local else model._meta.concrete_fields
    columns, joins = [], []
    for field in fields:
        if field.name in exclude or isinstance(field, models.FileField):
            continue
        if field.one_to_one and field.remote_field.parent_link:
            continue
        header = capfirst(str(field.verbose_name))
        if field.primary_key:
            columns.append(Column(_("ID"), None, ("pk",)))
            continue
        if field.name in override:
            columns.append(Column(header, override[field.name]))
            continue
        if field.is_relation:
            if field.related_model in NAMED_MODELS:
                joins.append(field.name)
                columns.append(named_column(header, field.name, field.related_model))
            else:
                header = _("%(field)s (ID)") % {"field": header}
                columns.append(Column(header, None, (field.attname,)))
            continue
        columns.append(Column(header, _converter(field), (field.attname,)))
    return columns, joins


# -- tables --------------------------------------------------------------------------------------


@dataclass
class Table:
    rows: Iterable  # objects (or dicts); read as values when every column names its fields
    columns: list[Column]

    def values(self, *, chunk_size: int = 2000) -> Iterator[list]:
        """Each row as the list of its columns' values, streamed from the database."""
        rows = self.rows
        if isinstance(rows, models.QuerySet) and all(c.fields for c in self.columns):
            lookups = list(dict.fromkeys(f for c in self.columns for f in c.fields))
            getters = [_value_getter(c, lookups) for c in self.columns]
            for row in rows.values_list(*lookups).iterator(chunk_size=chunk_size):
                yield [get(row) for get in getters]
            return
        if hasattr(rows, "iterator"):
            rows = rows.iterator(chunk_size=chunk_size)
        getters = [_object_getter(c) for c in self.columns]
        for row in rows:
            yield [get(row) for get in getters]


def _path_getter(lookup: str) -> Callable[[Any], Any]:
    """``teacher__name`` read off an object: ``obj.teacher.name``, None past a null key."""
    parts = lookup.split("__")
    if len(parts) == 1:
        return attrgetter(lookup)

    def get(obj):
        for part in parts:
            if obj is None:
                return None
            obj = getattr(obj, part)
        return obj

    return get


def _object_getter(column: Column) -> Callable[[Any], Any]:
    if not column.fields:
        return column.get
    paths = [_path_getter(f) for f in column.fields]
    get = column.get
    if len(paths) == 1:
        (path,) = paths
        return path if get is None else lambda obj: get(path(obj))
    return lambda obj: get(*[path(obj) for path in paths])


def _value_getter(column: Column, lookups: list[str]) -> Callable[[tuple], Any]:
    positions = [lookups.index(f) for f in column.fields]
    get = column.get
    if len(positions) == 1:
        at = itemgetter(positions[0])
        return at if get is None else lambda row: get(at(row))
    return lambda row: get(*[row[p] for p in positions])


@dataclass(frozen=True)
class TableSpec:
    name: str  # the CSV file name: stable, ASCII
    title: Promise  # the sheet name and the README line, in the requester's language
    build: Callable[["ExportContext"], Table]


class ExportContext:
    """The target plus what several tables need: who asks, whose private things the file may
    hold, which rounds' scores must stay secret."""

    def __init__(self, target: ExportTarget, audience: FileAudience | None = None):
        self.target = target
        self.user = target.user
        self.audience = audience or FileAudience(requester=target.user)
        # A shared file holds nobody's drafts or private notes.
        self.own_user_id = self.audience.own_user_id()
        self.schools = target.school_ids
        self._once: dict[str, Any] = {}

    def visible(self, model, path: str):
        """Rows of ``model`` the requester may see, within the target's schools."""
        return model.objects.visible_to(self.user).filter(**{f"{path}_id__in": self.schools})

    def defaults_or_schools(self, model):
        """District defaults (school empty) of the target's districts, and the schools' own."""
        return model.objects.filter(
            Q(school_id__in=self.schools)
            | Q(school__isnull=True, district_id__in=self.target.district_ids)
        )

    def hidden_rounds(self, rounds) -> set[int]:
        """The rounds (once per export) whose committee scores, totals and ranks stay out of
        this file: not everyone who may download it may see them (core.job_files)."""
        key = rounds.model._meta.label
        if key not in self._once:
            self._once[key] = {
                r.pk for r in rounds if not scores_visible_to_audience(self.audience, r)
            }
        return self._once[key]


def table(queryset, model=None, *, first=(), last=(), joins=(), prefetch=(), **options) -> Table:
    columns, auto_joins = model_columns(model or queryset.model, **options)
    queryset = queryset.select_related(*auto_joins, *joins)
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    return Table(rows=queryset, columns=[*first, *columns, *last])


def committee_names(obj) -> str:
    return "、".join(str(u) for u in obj.committee.all())


def committee_scores_table(marks, *, owner: str, subject: str, headers: tuple) -> Table:
    """A panel's marks (scoring.Mark of a selection or assessment round): one row per member,
    who is scored and on what. ``owner`` is the panel's owner (``selectionround``), ``subject``
    the scored object (``candidate``); ``headers`` name the round, the one scored and the item."""
    round_header, subject_header, item_header = headers

    def scored(mark) -> str:
        teacher = getattr(mark.entrant, subject).teacher
        return NAMED_MODELS.get(type(teacher), name_of)(teacher)

    first = [
        Column(round_header, lambda m: getattr(m.sheet.panel, owner).pk),
        Column(_("Member"), lambda m: name_of(m.sheet.member)),
        Column(_("Submitted at"), lambda m: m.sheet.submitted_at),
        Column(subject_header, scored),
        Column(item_header, lambda m: m.item.name),
    ]
    return table(
        marks.order_by("sheet__panel_id", "sheet_id", "entrant_id", "item__position"),
        first=first,
        exclude=["sheet", "entrant", "item"],
        joins=["sheet__member", f"sheet__panel__{owner}", f"entrant__{subject}__teacher", "item"],
    )


def safe_path_part(part: str) -> str:
    """A path part every unzip program and file system accepts."""
    return safe_filename(part, default="_")


# -- the registry --------------------------------------------------------------------------------

_TABLES: list[tuple[int, int, TableSpec]] = []
_FILES: list["ExportFiles"] = []


@dataclass(frozen=True)
class ExportFiles:
    """Stored files the ZIP carries under files/: which ones, and where each goes."""

    queryset: Callable[[ExportContext], Any]
    path: Callable[[Any], str]


def register_tables(*specs: TableSpec, position: int) -> None:
    """An app's tables, in their order, at ``position`` among the apps' (lowest first)."""
    for spec in specs:
        if any(s.name == spec.name for _p, _i, s in _TABLES):
            continue  # a module imported twice
        _TABLES.append((position, len(_TABLES), spec))


def register_files(files: ExportFiles) -> None:
    if files not in _FILES:
        _FILES.append(files)


def export_tables() -> list[TableSpec]:
    return [spec for _p, _i, spec in sorted(_TABLES, key=lambda t: t[:2])]


def export_files() -> list[ExportFiles]:
    return list(_FILES)
