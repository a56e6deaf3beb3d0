from django.db import transaction

from core.models import District

from ..models import DEFAULT_TIERS, EligibilityRuleSet, Tier

# Eligibility defaults from the seeds: 5 years, college education, intermediate (一级) title.
DEFAULT_RULES = {
    # A teacher who failed an assessment loses eligibility for the next selection (DOMAIN.md).
    "school": {
        "min_years_teaching": 5,
        "min_education": 2,
        "min_title": 2,
        "no_unqualified_in_term": True,
    },
    "district": {
        "min_years_teaching": 5,
        "min_education": 2,
        "min_title": 3,
        "min_recent_grade": 3,
        "no_unqualified_in_term": True,
    },
    "municipal": {
        "min_years_teaching": 8,
        "min_education": 3,
        "min_title": 3,
        "min_recent_grade": 3,
        "no_unqualified_in_term": True,
        "requires_tier_below": True,
    },
    "provincial": {
        "min_years_teaching": 10,
        "min_education": 3,
        "min_title": 4,
        "min_recent_grade": 4,
        "no_unqualified_in_term": True,
        "requires_tier_below": True,
    },
}


@transaction.atomic
def tiers_ensure_defaults(*, district: District) -> list[Tier]:
    """The default tiers, honorary titles and district rules; running it again changes nothing."""
    tiers = []
    for code, name, name_en, kind, level, years, by_school in DEFAULT_TIERS:
        tier, _created = Tier.objects.get_or_create(
            district=district,
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "level": level,
                "default_term_years": years,
                "designated_by_school": by_school,
            },
        )
        tiers.append(tier)
        if code in DEFAULT_RULES:
            EligibilityRuleSet.objects.get_or_create(
                tier=tier, school=None, defaults=DEFAULT_RULES[code]
            )
    return tiers
