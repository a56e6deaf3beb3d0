"""Assessment templates: the district defaults and a school's own version.

A template is valid for a range of school years. Editing never rewrites the past: a template
that a round already uses (or the district default) is not changed; the school gets its own
copy valid from the chosen school year, and its previous one is closed the year before.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.models import District, School, User

from ..models import AssessmentComponent, AssessmentTemplate, Grade

Kind = AssessmentTemplate.Kind

# (name, weight): DOMAIN.md's components of the annual assessment.
DEFAULT_COMPONENTS = [
    ("理论与技能", 15),
    ("教育教学实践", 35),
    ("教科研与论文", 25),
    ("出勤", 10),
    ("学校评定的工作实绩", 15),
]
DEFAULT_NAMES = {Kind.ANNUAL: "年度考核", Kind.SEMESTER: "学期考查"}


def _valid_in(year: int) -> Q:
    return Q(valid_from__lte=year) & (Q(valid_until__isnull=True) | Q(valid_until__gte=year))


@transaction.atomic
def assessment_templates_ensure_defaults(*, district: District, year: int) -> list:
    """The district's default annual and semester templates; creates only what is missing."""
    templates = []
    for kind in (Kind.ANNUAL, Kind.SEMESTER):
        template = (
            AssessmentTemplate.objects.filter(district=district, school=None, kind=kind)
            .filter(_valid_in(year))
            .first()
        )
        if template is None:
            template = AssessmentTemplate.objects.create(
                district=district,
                name=DEFAULT_NAMES[kind],
                kind=kind,
                missed_core_duty_cap=Grade.QUALIFIED,
                valid_from=year,
            )
            AssessmentComponent.objects.bulk_create(
                AssessmentComponent(template=template, name=name, weight=weight, position=i)
                for i, (name, weight) in enumerate(DEFAULT_COMPONENTS)
            )
        templates.append(template)
    return templates


def template_for(*, school: School, kind: str, year: int) -> AssessmentTemplate | None:
    """The school's own template valid in that year, else the district's."""
    candidates = AssessmentTemplate.objects.filter(
        Q(school=school) | Q(school__isnull=True), district_id=school.district_id, kind=kind
    ).filter(_valid_in(year))
    own = [t for t in candidates if t.school_id == school.pk]
    if own:
        return max(own, key=lambda t: t.valid_from)
    defaults = [t for t in candidates if t.school_id is None]
    return max(defaults, key=lambda t: t.valid_from) if defaults else None


def template_ensure(*, school: School, kind: str, year: int) -> AssessmentTemplate:
    template = template_for(school=school, kind=kind, year=year)
    if template is None:
        assessment_templates_ensure_defaults(district=school.district, year=year)
        template = template_for(school=school, kind=kind, year=year)
    return template


def components_validate(components: Sequence[Mapping]) -> None:
    if not components:
        raise ValidationError(_("Add at least one component."))
    names = [str(c["name"]).strip() for c in components]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise ValidationError(_("Every component needs a name of its own."))
    if any(int(c["weight"]) <= 0 or int(c.get("max_score") or 100) <= 0 for c in components):
        raise ValidationError(_("Weights and maximum scores must be greater than 0."))
    total = sum(int(c["weight"]) for c in components)
    if total != 100:
        raise ValidationError(
            _("The weights add up to %(total)d; they must add up to 100.") % {"total": total}
        )


def thresholds_validate(*, excellent_from, good_from, qualified_from) -> None:
    if not (Decimal(0) <= qualified_from <= good_from <= excellent_from <= Decimal(100)):
        raise ValidationError(
            _("Thresholds must rise from qualified to good to excellent, between 0 and 100.")
        )


@transaction.atomic
def assessment_template_update(
    *,
    school: School,
    kind: str,
    year: int,
    excellent_from: Decimal,
    good_from: Decimal,
    qualified_from: Decimal,
    missed_core_duty_cap: int | None,
    components: Sequence[Mapping],
    by: User,
) -> AssessmentTemplate:
    """Set the school's template from ``year`` on (see the module docstring)."""
    if not by.scope.can_manage_school(school.pk):
        raise PermissionDenied(_("Only the principal or training office can do this."))
    thresholds_validate(
        excellent_from=excellent_from, good_from=good_from, qualified_from=qualified_from
    )
    components_validate(components)
    current = template_ensure(school=school, kind=kind, year=year)
    in_place = current.school_id == school.pk and not current.rounds.exists()
    if in_place:
        template = current
    else:
        if current.school_id == school.pk:
            if current.valid_from >= year:
                raise ValidationError(
                    _("A round already uses this school year's template; change it from a later "
                      "school year.")
                )  # fmt: skip
            current.valid_until = year - 1
            current.save(update_fields=["valid_until"])
        template = AssessmentTemplate(
            district_id=school.district_id,
            school=school,
            kind=kind,
            name=current.name,
            valid_from=year,
            valid_until=None,
        )
    template.excellent_from = excellent_from
    template.good_from = good_from
    template.qualified_from = qualified_from
    template.missed_core_duty_cap = missed_core_duty_cap or None
    template.full_clean()
    template.save()
    template.components.all().delete()
    AssessmentComponent.objects.bulk_create(
        AssessmentComponent(
            template=template,
            name=str(c["name"]).strip(),
            weight=int(c["weight"]),
            max_score=int(c.get("max_score") or 100),
            position=i,
        )
        for i, c in enumerate(components)
    )
    return template
