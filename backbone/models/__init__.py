"""Backbone tiers, designations and their terms, the reserve pool, eligibility rules,
selection rounds (candidates, committee scores, public announcement, objections) and targets.
"""

from core.models import District, School, school_year_label, school_year_start  # noqa: F401
from teachers.models import Education, Grade, Teacher, Title  # noqa: F401

from .designations import (  # noqa: F401
    DEFAULT_TIERS,
    Designation,
    DesignationQuerySet,
    EligibilityRuleSet,
    ReserveEntry,
    ReserveEntryQuerySet,
    Target,
    TargetQuerySet,
    Tier,
    term_end_date,
)
from .rounds import (  # noqa: F401
    Candidate,
    CandidateQuerySet,
    Objection,
    ObjectionQuerySet,
    RoundQuerySet,
    RoundQuota,
    SelectionRound,
)
