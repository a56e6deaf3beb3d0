"""Districts, schools and their groups, the duty and assessment templates, district targets."""

import datetime
import math
from collections import Counter

from backbone.models import Target, Tier
from core.demo import ensure_school_year
from core.models import District, Holiday, School, TeachingGroup

from .constants import (
    AREAS,
    BASE_PLANS,
    HOLIDAYS,
    KIND_CYCLE,
    KIND_LETTERS,
    KIND_NAMES,
    SCHOOLS_PER_DISTRICT,
    TOWNS,
    K,
)
from .context import Bench, numeral, sizes_for


def seed_organisations(bench: Bench, n_schools: int) -> None:
    n_districts = math.ceil(n_schools / SCHOOLS_PER_DISTRICT)
    for d, size in enumerate(sizes_for(n_schools, n_districts)):
        area = AREAS[d] if d < len(AREAS) else f"第{numeral(d + 1)}区"
        district = District.objects.create(  # the default tiers and rules come with it
            code=f"{bench.code_prefix}{d + 1:02d}", name=f"{area}教育局"
        )
        district.area = area
        bench.districts.append(district)
        bench.tiers[district.pk] = {t.code: t for t in Tier.objects.filter(district=district)}
        for year in bench.years:
            ensure_school_year(district, year)
        Holiday.objects.bulk_create(
            Holiday(
                district=district,
                name=name,
                start_date=datetime.date(year + offset, *first),
                end_date=datetime.date(year + offset, *last),
            )
            for year in bench.years
            for name, first, last, offset in HOLIDAYS
        )
        numbers: Counter = Counter()
        schools = []
        for i in range(size):
            kind = KIND_CYCLE[i % len(KIND_CYCLE)]
            numbers[kind] += 1
            n = numbers[kind]
            if kind == K.CENTRAL:
                name = f"{area}{TOWNS[(n - 1) % len(TOWNS)]}中心小学"
            else:
                name = f"{area}第{numeral(n)}{KIND_NAMES[kind]}"
            code = f"{district.code}{KIND_LETTERS[kind]}{n:02d}"
            schools.append(School(district=district, code=code, name=name, kind=kind))
        School.objects.bulk_create(schools)
        for school in schools:
            school.district = district
        bench.schools.extend(schools)
        groups = []
        for school in schools:
            plan = BASE_PLANS[school.kind]
            groups += [
                TeachingGroup(school=school, kind=TeachingGroup.Kind.RESEARCH, name=g.name)
                for g in plan.groups
            ]
            groups += [
                TeachingGroup(school=school, kind=TeachingGroup.Kind.GRADE, name=name)
                for name in plan.grade_groups
            ]
        TeachingGroup.objects.bulk_create(groups)
    bench.log(f"{len(bench.districts)} districts, {len(bench.schools)} schools")


def seed_duty_and_assessment_templates(bench: Bench) -> None:
    from assessment.services.duties import duty_templates_ensure_defaults
    from assessment.services.templates import assessment_templates_ensure_defaults

    for district in bench.districts:
        for year in bench.years:
            duty_templates_ensure_defaults(district=district, year=year)
            assessment_templates_ensure_defaults(district=district, year=year)


def seed_district_targets(bench: Bench) -> None:
    Target.objects.bulk_create(
        Target(district=district, tier=bench.tiers[district.pk][code], by_year=bench.current + 2,
               count=count)
        for district in bench.districts
        for code, count in (("district", 120), ("municipal", 40), ("provincial", 8))
    )  # fmt: skip
