"""The open-class calendar: who sees which open classes, observers signing up, and the
evaluations (评课) observers hand in after the class.

Who sees an open class on the calendar:
- anyone holding a role at the teacher's school (teachers included): the school's classes;
- the same people, for classes of district level or above (level ≥ 2) at other schools of
  their district, since those are open to the whole district;
- the district office: every school of its district;
- drafts and returned classes only to their own teacher (marked as such); archived never.

Who signs up: a teacher with a roster profile, before the class starts, not for their own
class, from the same school (or the same district for district-level+ classes).
Who evaluates: after the class starts, a signed-up observer or any teacher of the school.
Who reads the evaluations: the teacher of the class, the school's staff (principal, training
office, committee) and the district office; each observer reads their own.

The rooms: ``rules`` (the named predicates), ``reads`` and ``writes``.
"""

from .reads import (
    Month,
    calendar_classes,
    calendar_subjects,
    class_evaluations,
    class_signups,
    get_open_class_for_user,
    month_days,
    month_grid,
    open_class_panel,
    open_classes_visible_to,
    own_evaluation,
)
from .rules import (
    CRITERIA,
    PUBLISHED,
    can_read_evaluations,
    evaluation_refusal,
    has_started,
    is_attendee,
    is_signed_up,
    is_teacher_of_class,
    may_observe,
    may_use_calendar,
    member_school_ids,
    observer_profile,
    signup_refusal,
)
from .writes import (
    evaluation_save,
    observation_from_evaluation,
    signup_add,
    signup_cancel,
    signup_toggle,
)

__all__ = [
    "CRITERIA",
    "PUBLISHED",
    "Month",
    "calendar_classes",
    "calendar_subjects",
    "can_read_evaluations",
    "class_evaluations",
    "class_signups",
    "evaluation_refusal",
    "evaluation_save",
    "get_open_class_for_user",
    "has_started",
    "is_attendee",
    "is_signed_up",
    "is_teacher_of_class",
    "may_observe",
    "may_use_calendar",
    "member_school_ids",
    "month_days",
    "month_grid",
    "observation_from_evaluation",
    "observer_profile",
    "open_class_panel",
    "open_classes_visible_to",
    "own_evaluation",
    "signup_add",
    "signup_cancel",
    "signup_refusal",
    "signup_toggle",
]
