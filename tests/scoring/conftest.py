import pytest

from core.models import Role
from scoring.services.panels import entrants_add, panel_open
from tests.factories import user_with_role

ITEMS = [
    {"name": "课堂教学", "weight": 60, "max_score": 100},
    {"name": "教研", "weight": 40, "max_score": 10},
]


@pytest.fixture
def member2(school):
    return user_with_role(Role.COMMITTEE, school=school, username="member2")


@pytest.fixture
def panel(school, committee_member, member2, principal):
    """Three members (the principal among them), items weighted 60/40, three entrants."""
    panel = panel_open(items=ITEMS, members=[committee_member, member2, principal], school=school)
    entrants_add(panel=panel, users=[None, None, None])
    return panel


def cells(panel, rows):
    """{(entrant id, item id): value} from rows of values in entrant and item order."""
    entrants = list(panel.entrants.order_by("pk"))
    items = list(panel.items.all())
    return {
        (entrant.pk, item.pk): value
        for entrant, row in zip(entrants, rows, strict=True)
        for item, value in zip(items, row, strict=True)
    }
