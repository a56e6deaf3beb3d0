"""Groups at work: who belongs to a group beyond the roster (members), the school's settings
for group work, the group's semester plan and its activities (planning), and collective
lesson preparation (preparation)."""

from .members import GroupSettings, Membership
from .planning import Activity, ActivityAttachment, ActivityKind, PlannedWeek, SemesterPlan
from .preparation import Adaptation, DraftComment, PreparationUnit

__all__ = [
    "Activity", "ActivityAttachment", "ActivityKind", "Adaptation", "DraftComment",
    "GroupSettings", "Membership", "PlannedWeek", "PreparationUnit", "SemesterPlan",
]  # fmt: skip
