"""The one predicate: what each role sees of a panel, while secret and once revealed."""

import pytest

from core.models import Role
from scoring import visibility
from scoring.models import Panel
from scoring.services.marks import marks_save, sheet_submit
from scoring.services.panels import member_leave, member_recuse, panel_reveal
from scoring.visibility import EVERYTHING, NOTHING, PUBLIC, Sight
from tests.factories import SchoolFactory, user_with_role

from .conftest import cells

OWN_ONLY = Sight(own=True)
ALL_AND_OWN = Sight(own=True, marks=True, totals=True, ranks=True, progress=True)


@pytest.fixture
def roles(panel, school, committee_member, member2, principal, training_office):
    """One user per state: a member with a draft, a member who submitted, a member recused
    from the panel, a member who left, managers on and off the panel, the district office, a
    teacher, another school's principal."""
    for member, submit in ((committee_member, False), (member2, True)):
        marks_save(
            panel=panel, member=member, values=cells(panel, [(50, 5)] * 3),
            name=str, unknown="unknown",
        )  # fmt: skip
        if submit:
            sheet_submit(panel=panel, member=member, incomplete=str)
    recused = user_with_role(Role.COMMITTEE, school=school, username="recused")
    left = user_with_role(Role.TRAINING_OFFICE, school=school, username="left")
    panel.memberships.create(user=recused)
    panel.memberships.create(user=left)
    member_recuse(panel=panel, user=recused, reason="亲属参评")
    member_leave(panel=panel, user=left)
    return {
        "draft": committee_member,
        "submitted": member2,
        "manager_on_panel_draft": principal,
        "recused": recused,
        "left_manager": left,
        "manager": training_office,
        "district": user_with_role(Role.DISTRICT_OFFICE, district=school.district),
        "teacher": user_with_role(Role.TEACHER, school=school),
        "other_committee": user_with_role(Role.COMMITTEE, school=school),
        "outsider": user_with_role(Role.PRINCIPAL, school=SchoolFactory()),
    }


WHILE_SECRET = {
    "draft": OWN_ONLY,
    "submitted": ALL_AND_OWN,
    "manager_on_panel_draft": OWN_ONLY,  # a member first: nothing before their own sheet is in
    "recused": NOTHING,
    "left_manager": EVERYTHING,  # judged as a manager who never sat on the panel
    "manager": EVERYTHING,
    "district": NOTHING,
    "teacher": NOTHING,
    "other_committee": NOTHING,
    "outsider": NOTHING,
}

ONCE_REVEALED = {
    "draft": ALL_AND_OWN,
    "submitted": ALL_AND_OWN,
    "manager_on_panel_draft": ALL_AND_OWN,
    "recused": ALL_AND_OWN,
    "left_manager": ALL_AND_OWN,
    "manager": EVERYTHING,
    "district": EVERYTHING,
    "teacher": PUBLIC,  # the published ranks, never a mark or a total
    "other_committee": EVERYTHING,
    "outsider": PUBLIC,  # the owner's pages keep them out; the panel tells them no score
}


def test_the_predicate_for_every_role_while_secret(panel, roles):
    seen = {name: visibility.sight(user=user, panel=panel) for name, user in roles.items()}
    assert seen == WHILE_SECRET


def test_the_predicate_for_every_role_once_revealed(panel, roles):
    panel_reveal(panel=panel)
    panel = Panel.objects.get(pk=panel.pk)
    seen = {name: visibility.sight(user=user, panel=panel) for name, user in roles.items()}
    assert seen == ONCE_REVEALED


def test_a_panel_can_keep_its_scores_from_managers_off_the_panel(panel, roles):
    Panel.objects.filter(pk=panel.pk).update(managers_see_while_secret=False)
    panel.refresh_from_db()
    assert visibility.sight(user=roles["manager"], panel=panel) == NOTHING


def test_a_shared_file_holds_secret_scores_for_nobody(panel, roles):
    assert visibility.shared_sight(panel=panel) == NOTHING
    panel_reveal(panel=panel)
    assert visibility.shared_sight(panel=panel) == EVERYTHING


def test_hidden_panels_agree_with_the_predicate(panel, roles, django_assert_max_num_queries):
    panels = Panel.objects.filter(pk=panel.pk)
    for name, user in roles.items():
        with django_assert_max_num_queries(4):
            hidden = visibility.hidden_panels(user=user, panels=panels)
        assert (panel.pk in hidden) is (not WHILE_SECRET[name].totals), name


def test_the_order_follows_the_ranks_only_where_they_may_be_seen():
    assert visibility.rank_order(EVERYTHING, by_rank=["rank"], neutral=["name"]) == [
        "rank",
        "name",
    ]
    assert visibility.rank_order(OWN_ONLY, by_rank=["rank"], neutral=["name"]) == ["name"]


def test_a_file_shared_with_a_school_or_district_hides_every_secret_panel(panel, roles):
    panels = Panel.objects.filter(pk=panel.pk)
    assert visibility.hidden_panels(user=None, panels=panels) == {panel.pk}
    panel_reveal(panel=panel)
    assert visibility.hidden_panels(user=None, panels=panels) == set()
