"""The home page as a to-do list: for each role the user holds, what to do next, each count
linking to its list. Built from the selectors of the apps below (home is on the top floor);
every section reads in a fixed number of queries, however much data there is.

The rooms: ``todos`` (what a section is made of), ``teacher``, ``school`` (training office,
committee member, principal), ``district``, and ``scoring`` (the one place that asks the
rounds for score sheets due)."""

from core.models import Role

from .city import city_section
from .district import district_section
from .school import committee_section, office_section, principal_section
from .scoring import score_sheets_due
from .teacher import teacher_section
from .todos import Action, Line, Section, Todo

__all__ = ["Action", "Line", "Section", "Todo", "home_sections", "score_sheets_due"]


def home_sections(*, user) -> list[Section]:
    """One section per role the user holds, in the order of their day: their own work first."""
    scope = user.scope
    held = {role for roles in scope.school_roles.values() for role in roles}
    sections = []
    if Role.TEACHER in held:
        sections.append(teacher_section(user=user))
    if Role.COMMITTEE in held or Role.TRAINING_OFFICE in held or Role.PRINCIPAL in held:
        committee = committee_section(user=user, holds_role=Role.COMMITTEE in held)
        if committee is not None:
            sections.append(committee)
    if Role.TRAINING_OFFICE in held:
        sections.append(office_section(user=user))
    if Role.PRINCIPAL in held:
        sections.append(principal_section(user=user))
    if scope.is_district_office:
        sections.append(district_section(user=user))
    if scope.is_city_office:
        sections.append(city_section(user=user))
    return [s for s in sections if s is not None]
