"""The duties engine: for each backbone teacher and period, what each duty requires, what the
verified records bring, what is missing and how the teacher stands.

Only verified records count (``Record.objects.counting()``); submitted ones are shown apart as
"pending" so a teacher sees what verification would bring.

Everything is read in a constant number of queries, however many teachers are asked for.

The rooms, each describing its rules: ``state`` (the status rule and a duty's status),
``periods`` (calendars and the window a duty is counted over), ``requirements`` (which duties
a teacher owes), ``counting`` (what the records bring), ``engine`` (duty_statuses), ``counts``
(duty_counts, counted in the database for the grid) and ``queries`` (reads for the pages).
"""

from .counting import _count, _judge, _status
from .counts import CountedDuty, _counted_duties, duty_counts
from .engine import _Setting, _setting, _statuses, duty_statuses
from .periods import DEFAULT_SEMESTERS, TierTerm, default_semester_dates, default_year_dates
from .queries import backbone_teachers, records_by_id, stage_teachers
from .requirements import (
    DUTY_RECORD_KINDS,
    effective_templates,
    stage_terms,
    templates_in_force,
    tier_designations,
)
from .state import (
    AT_RISK_MARGIN,
    STATE_BADGE,
    STATE_RANK,
    ZERO,
    DutyState,
    DutyStatus,
    _rank,
    duty_state,
    elapsed_share,
    worst_rank,
)

__all__ = [
    "AT_RISK_MARGIN",
    "DEFAULT_SEMESTERS",
    "DUTY_RECORD_KINDS",
    "STATE_BADGE",
    "STATE_RANK",
    "ZERO",
    "CountedDuty",
    "DutyState",
    "DutyStatus",
    "TierTerm",
    "backbone_teachers",
    "default_semester_dates",
    "default_year_dates",
    "duty_counts",
    "duty_state",
    "duty_statuses",
    "effective_templates",
    "elapsed_share",
    "records_by_id",
    "stage_teachers",
    "stage_terms",
    "templates_in_force",
    "tier_designations",
    "worst_rank",
    # the grid (duties_grid) builds on the engine's own steps
    "_Setting",
    "_count",
    "_counted_duties",
    "_judge",
    "_rank",
    "_setting",
    "_status",
    "_statuses",
]
