"""The one place that decides what a user may see and change.

Every list, detail, form, export and job asks the user's Scope (``request.user.scope``), and
querysets are narrowed with ``<Model>.objects.visible_to(user)`` built on ``school_filter``.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connections, models, router
from django.db.models import CharField, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from .models import District, Role, School, TeachingGroup

MANAGER_ROLES = frozenset({Role.PRINCIPAL, Role.TRAINING_OFFICE})
STAFF_ROLES = frozenset({Role.PRINCIPAL, Role.TRAINING_OFFICE, Role.COMMITTEE})
# Always true, and unlike an empty Q() it stays true when OR-ed with another condition.
EVERY_ROW = Q(pk__isnull=False)
# Read together with the role assignments: a group head's rows carry the group's id; the
# schools of the user's districts carry the school's id and its district's.
_GROUP_HEAD = "group_head"
_DISTRICT_SCHOOL = "district_school"
_OWN_TEACHER = "own_teacher"
# A city office (市教育局) reads, never writes: the districts of its cities and their schools.
_CITY_DISTRICT = "city_district"
_CITY_SCHOOL = "city_school"


# Every page asks for its user's scope. The query is the same for every user but for the user's
# id, so it is compiled once per process and database: building the union in the ORM took
# longer than running it (about 5 ms a request).
_ANY_USER = -7_346_129_001  # stands for the user's id in the compiled query; no id is negative
_SCOPE_SQL: dict[tuple[str, str], tuple[str, tuple]] = {}


def _scope_queryset(user_id: int):
    """A user's role assignments, the groups they head, the schools of their district
    offices, the districts and schools of their city offices and their own teacher profile:
    one query, so a page costs the same for every kind of user."""
    RoleAssignment = apps.get_model("core", "RoleAssignment")
    Teacher = apps.get_model("teachers", "Teacher")
    assignments = RoleAssignment.objects.filter(user_id=user_id)
    # Unordered: SQLite allows no ORDER BY inside a compound statement.
    roles = assignments.order_by().values_list(
        "role", Coalesce("district_id", "city_id"), "school_id"
    )
    heads = (
        TeachingGroup.objects.filter(heads=user_id)
        .order_by()
        .values_list(Value(_GROUP_HEAD, output_field=CharField()), "pk", "school_id")
    )
    offices = assignments.filter(role=Role.DISTRICT_OFFICE).values("district_id")
    district_school_rows = (
        School.objects.filter(district_id__in=offices)
        .order_by()
        .values_list(Value(_DISTRICT_SCHOOL, output_field=CharField()), "district_id", "pk")
    )
    cities_held = assignments.filter(role=Role.CITY_OFFICE).values("city_id")
    city_district_rows = (
        District.objects.filter(city_id__in=cities_held)
        .order_by()
        .values_list(Value(_CITY_DISTRICT, output_field=CharField()), "city_id", "pk")
    )
    city_school_rows = (
        School.objects.filter(district__city_id__in=cities_held)
        .order_by()
        .values_list(Value(_CITY_SCHOOL, output_field=CharField()), "district_id", "pk")
    )
    own_teacher = (
        Teacher.objects.filter(user_id=user_id)
        .order_by()
        .values_list(Value(_OWN_TEACHER, output_field=CharField()), "pk", "school_id")
    )
    return roles.union(
        heads, district_school_rows, city_district_rows, city_school_rows, own_teacher, all=True
    )


def _scope_rows(user_id: int) -> list[tuple]:
    """(role or kind of row, organisation id, school id) rows of ``_scope_queryset``."""
    alias = router.db_for_read(apps.get_model("core", "RoleAssignment"))
    connection = connections[alias]
    key = (alias, connection.vendor)
    if key not in _SCOPE_SQL:
        query = _scope_queryset(_ANY_USER).query
        _SCOPE_SQL[key] = query.get_compiler(using=alias).as_sql()
    sql, params = _SCOPE_SQL[key]
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id if p == _ANY_USER else p for p in params])
        return cursor.fetchall()


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_superuser: bool = False
    district_ids: frozenset[int] = frozenset()
    # school id -> the roles held there
    school_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    # A file shared with a school or a district sees no further than its owner (core.job_files):
    # the schools it may cover, or None for no limit.
    within: frozenset[int] | None = None
    # group id -> its school id, for the groups this user heads (教研组长, 备课组长)
    led_groups: dict[int, int] = field(default_factory=dict)
    # school id -> district id, for every school of the districts whose office this user is.
    # Filters name these schools by id, so PostgreSQL takes the school index instead of
    # joining every teacher to their school to compare districts.
    district_schools: dict[int, int] = field(default_factory=dict)
    # The cities whose office (市教育局) this user is, their districts, and school id ->
    # district id for those districts' schools. Read only: no ``write=True`` filter, no
    # ``can_manage_*`` and no ``organised_write_filter`` looks at these.
    city_ids: frozenset[int] = frozenset()
    city_district_ids: frozenset[int] = frozenset()
    city_schools: dict[int, int] = field(default_factory=dict)

    @classmethod
    def for_user(cls, user) -> "Scope":
        if not user.is_authenticated:
            return cls(user_id=None)
        districts, schools, led, district_schools = set(), {}, {}, {}
        cities, city_districts, city_schools = set(), set(), {}
        has_teacher = False
        rows = _scope_rows(user.pk)
        for role, org_id, school_id in rows:
            if role == _OWN_TEACHER:
                has_teacher = True
            elif role == _GROUP_HEAD:
                led[org_id] = school_id
            elif role == _DISTRICT_SCHOOL:
                district_schools[school_id] = org_id
            elif role == Role.DISTRICT_OFFICE:
                districts.add(org_id)
            elif role == _CITY_DISTRICT:
                city_districts.add(school_id)
            elif role == _CITY_SCHOOL:
                city_schools[school_id] = org_id
            elif role == Role.CITY_OFFICE:
                cities.add(org_id)
            else:
                schools.setdefault(school_id, set()).add(role)
        if not has_teacher:
            # Staff without a teacher's profile: ``user.teacher`` answers without a query.
            type(user).teacher.related.set_cached_value(user, None)
        return cls(
            user_id=user.pk,
            is_superuser=user.is_superuser,
            district_ids=frozenset(districts),
            school_roles={k: frozenset(v) for k, v in schools.items()},
            led_groups=led,
            district_schools=district_schools,
            city_ids=frozenset(cities),
            city_district_ids=frozenset(city_districts),
            city_schools=city_schools,
        )

    def narrowed_to(self, *, school_ids, district_ids=()) -> "Scope":
        """This scope seen through an owner: only ``school_ids`` (and the district office of
        ``district_ids`` among the user's own districts). What the user could not see before
        stays out of sight; what lies beyond the owner goes out of sight."""
        school_ids = frozenset(school_ids)
        if self.within is not None:
            school_ids &= self.within
        city_district_ids = self.city_district_ids & frozenset(district_ids)
        district_ids = self.district_ids & frozenset(district_ids)
        return Scope(
            user_id=self.user_id,
            is_superuser=self.is_superuser,
            district_ids=district_ids,
            district_schools={s: d for s, d in self.district_schools.items() if d in district_ids},
            school_roles={k: v for k, v in self.school_roles.items() if k in school_ids},
            within=school_ids,
            led_groups={g: s for g, s in self.led_groups.items() if s in school_ids},
            city_ids=self.city_ids if city_district_ids else frozenset(),
            city_district_ids=city_district_ids,
            city_schools={s: d for s, d in self.city_schools.items() if d in city_district_ids},
        )

    @property
    def cache_key(self) -> str:
        """What this user sees, as part of a cache key: counts kept for one user are never
        read by another, nor after the user's roles change."""

        def ids(values) -> str:
            return ",".join(map(str, sorted(values)))

        seen = "all" if self.is_superuser else f"{ids(self.district_ids)}/{ids(self.city_ids)}"
        within = "" if self.within is None else ids(self.within)
        return f"{self.user_id}:{seen}:{ids(self.staff_school_ids)}:{within}"

    # -- named predicates -------------------------------------------------------------------
    @property
    def district_school_ids(self) -> frozenset[int]:
        """The schools of the districts whose office this user is."""
        return frozenset(self.district_schools)

    @property
    def is_city_office(self) -> bool:
        return bool(self.city_ids)

    @property
    def reads_districts(self) -> bool:
        """Reads a district's pages as its office does: the district office, or the city office
        of the district's city (read only)."""
        return bool(self.district_ids or self.city_ids)

    @property
    def readable_district_ids(self) -> frozenset[int]:
        """The districts whose own objects (school years, tiers, duty templates, rounds) this
        user reads: their district offices', and their cities' districts. Never for writing:
        that is ``district_ids``."""
        return self.district_ids | self.city_district_ids

    @property
    def readable_district_school_ids(self) -> frozenset[int]:
        """The schools read as an office: the user's districts' and their cities'."""
        return frozenset(self.district_schools) | frozenset(self.city_schools)

    def roles_at(self, school_id: int) -> frozenset[str]:
        return self.school_roles.get(school_id, frozenset())

    def school_ids_with(self, roles) -> set[int]:
        return {sid for sid, held in self.school_roles.items() if held & set(roles)}

    @property
    def managed_school_ids(self) -> set[int]:
        """Schools whose roster this user keeps (principal, training office)."""
        return self.school_ids_with(MANAGER_ROLES)

    @property
    def staff_school_ids(self) -> set[int]:
        """Schools where this user sees every teacher (principal, training office, committee)."""
        return self.school_ids_with(STAFF_ROLES)

    @property
    def is_district_office(self) -> bool:
        return bool(self.district_ids)

    @property
    def is_school_staff(self) -> bool:
        return bool(self.staff_school_ids)

    @property
    def is_teacher(self) -> bool:
        return bool(self.school_ids_with({Role.TEACHER}))

    @property
    def led_group_ids(self) -> frozenset[int]:
        """The groups this user heads: they plan its semester, run its activities and its
        collective lesson preparation."""
        return frozenset(self.led_groups)

    def can_lead_group(self, group_id: int, school_id: int) -> bool:
        """May act for the group: its head, or a manager of its school."""
        return group_id in self.led_groups or self.can_manage_school(school_id)

    def can_manage_school(self, school_id: int) -> bool:
        return self.is_superuser or school_id in self.managed_school_ids

    def can_view_school(self, school_id: int) -> bool:
        if self.within is not None and school_id not in self.within:
            return False
        return (
            self.is_superuser
            or school_id in self.staff_school_ids
            or school_id in self.district_schools
            or school_id in self.city_schools
        )

    # -- queryset filters ---------------------------------------------------------------------
    def school_filter(self, prefix: str = "school", *, write: bool = False) -> Q:
        """A Q selecting rows whose school (reached through ``prefix``) the user may see
        (or, with write=True, change). Superusers see everything."""
        limit = Q() if self.within is None else Q(**{f"{prefix}_id__in": self.within})
        if self.is_superuser:
            # EVERY_ROW, not an empty Q: OR-ed with a teacher's own rows it must stay "all".
            return limit or EVERY_ROW
        if write:
            return Q(**{f"{prefix}_id__in": self.managed_school_ids})
        return limit & Q(
            **{f"{prefix}_id__in": self.staff_school_ids | self.readable_district_school_ids}
        )

    def organised_filter(self, schools=None) -> Q:
        """Rows organised by a school (``school`` set) or by a district office (``school``
        empty: programmes, contests, surveys). A school's rows are read by its staff (or by
        ``schools``, when more of a school may read) and its district office; a district's rows
        by its office and by the same people of every school in it."""
        if self.is_superuser:
            return EVERY_ROW
        schools = set(self.staff_school_ids if schools is None else schools)
        if self.within is not None:
            schools &= self.within
        districts = School.objects.filter(pk__in=schools).values("district_id")
        return (
            Q(school_id__in=schools | self.readable_district_school_ids)
            | Q(school__isnull=True, district_id__in=self.readable_district_ids)
            | Q(school__isnull=True, district_id__in=districts)
        )

    def organised_write_filter(self) -> Q:
        """Rows the organiser changes: the school's principal or training office, or the
        district office for the district's own."""
        if self.is_superuser:
            return EVERY_ROW
        return Q(school_id__in=self.managed_school_ids) | Q(
            school__isnull=True, district_id__in=self.district_ids
        )

    def own_rows(self, own: Q, prefix: str = "school") -> Q:
        """A user's own rows (their profile, records, pairings), kept within a narrowed scope."""
        if self.within is None:
            return own
        return own & Q(**{f"{prefix}_id__in": self.within})

    def schools(self, *, write: bool = False):
        qs = School.objects.select_related("district")
        if self.within is not None:
            qs = qs.filter(pk__in=self.within)
        if self.is_superuser:
            return qs
        if write:
            return qs.filter(pk__in=self.managed_school_ids)
        return qs.filter(
            Q(pk__in=self.staff_school_ids) | Q(district_id__in=self.readable_district_ids)
        )


class ScopedQuerySet(models.QuerySet):
    """Base for every model a user reaches: ``school_path`` names the way to its school."""

    school_path = "school"

    def visible_to(self, user):
        return self.filter(user.scope.school_filter(self.school_path))

    def editable_by(self, user):
        return self.filter(user.scope.school_filter(self.school_path, write=True))


def get_for_user(queryset: ScopedQuerySet, user, *, write: bool = False, **lookup):
    """One object through the scoping layer: 404 when the user may not see it (even by
    guessing an id), 403 when they may see it but not change it."""
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        raise Http404
    if write and not queryset.model.objects.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj
