"""Every read the planning pages need — eligibility rules and overview, annual grades, targets
against actual numbers, the school dashboard — already scoped to the user.

The rooms: ``scope`` (who reads which district, tiers and schools), ``eligibility`` (rules and
overview), ``grades``, ``targets`` and ``dashboard``.
"""

from core.selectors import current_school_year  # the pages read it as selectors.current_school_year

from .dashboard import ENDING_TERMS_SHOWN, school_dashboard
from .eligibility import (
    EligibilityRow,
    RuleRow,
    RulesPanel,
    RulesTarget,
    default_tier_code,
    eligibility_overview,
    get_rules_for_edit,
    rules_overview,
    tier_choices,
)
from .grades import default_grade_year, grade_grid, grade_year_choices
from .scope import (
    default_school,
    get_school_for_user,
    require_planning_reader,
    tiers_for,
    visible_district_ids,
)
from .targets import (
    MAX_FUTURE_YEARS,
    PAST_YEARS,
    TargetRow,
    actual_by_year,
    get_target_owner,
    plan_for_year,
    target_chart_data,
    target_overview,
    target_owner_choices,
    year_counted,
)

__all__ = [
    "ENDING_TERMS_SHOWN",
    "EligibilityRow",
    "MAX_FUTURE_YEARS",
    "PAST_YEARS",
    "RuleRow",
    "RulesPanel",
    "RulesTarget",
    "TargetRow",
    "actual_by_year",
    "current_school_year",
    "default_grade_year",
    "default_school",
    "default_tier_code",
    "eligibility_overview",
    "get_rules_for_edit",
    "get_school_for_user",
    "get_target_owner",
    "grade_grid",
    "grade_year_choices",
    "plan_for_year",
    "require_planning_reader",
    "rules_overview",
    "school_dashboard",
    "target_chart_data",
    "target_overview",
    "target_owner_choices",
    "tier_choices",
    "tiers_for",
    "visible_district_ids",
    "year_counted",
]
