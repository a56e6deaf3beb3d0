"""The aggregate: averages per item over submitted sheets, weighted totals, competition ranks
and ties, in a constant number of queries."""

from decimal import Decimal

from scoring.selectors import aggregate, competition_ranks, weighted_total
from scoring.services.marks import marks_save, sheet_submit
from scoring.services.panels import entrant_update, entrants_add, panel_open

from .conftest import ITEMS, cells


def score(panel, member, rows, submit=True):
    marks_save(
        panel=panel, member=member, values=cells(panel, rows),
        name=str, unknown="unknown",
    )  # fmt: skip
    if submit:
        sheet_submit(panel=panel, member=member, incomplete=str)


def test_weighted_totals_average_the_submitted_sheets_only(
    panel, committee_member, member2, principal
):
    score(panel, committee_member, [(80, 10), (60, 5), (90, 9)])
    score(panel, member2, [(60, 6), (80, 5), (90, 9)])
    score(panel, principal, [(0, 0), (0, 0), (0, 0)], submit=False)  # a draft does not count
    result = aggregate(panel=panel)
    first, second, third = panel.entrants.order_by("pk").values_list("pk", flat=True)
    course, research = [i.pk for i in panel.items.all()]
    assert result.averages[first] == {course: Decimal(70), research: Decimal(8)}
    # 70/100×60 + 8/10×40 = 42 + 32; 70/100×60 + 5/10×40 = 42 + 20; 90/100×60 + 9/10×40
    assert result.totals == {
        first: Decimal("74.00"),
        second: Decimal("62.00"),
        third: Decimal("90.00"),
    }
    assert result.ranks == {third: 1, first: 2, second: 3}
    assert result.sheet_counts == {first: 2, second: 2, third: 2}
    assert len(result.sheets) == 2


def test_equal_totals_share_a_rank_and_the_next_rank_skips(school, committee_member):
    panel = panel_open(items=ITEMS[:1], members=[committee_member], school=school)
    entrants = entrants_add(panel=panel, users=[None] * 5)
    score(panel, committee_member, [(90,), (80,), (80,), (70,), (0,)])
    result = aggregate(panel=panel)
    assert [result.ranks[e.pk] for e in entrants] == [1, 2, 2, 4, 5]
    assert competition_ranks({1: Decimal(5), 2: None, 3: Decimal(5)}) == {1: 1, 3: 1}


def test_an_entrant_out_of_the_scoring_is_not_ranked(school, committee_member):
    panel = panel_open(items=ITEMS[:1], members=[committee_member], school=school)
    first, second = entrants_add(panel=panel, users=[None, None])
    score(panel, committee_member, [(50,), (90,)])
    entrant_update(entrant=second, active=False, user=None)
    assert aggregate(panel=panel).ranks == {first.pk: 1}


def test_weights_and_maxima_scale_each_item():
    items = [type("I", (), {"pk": 1, "weight": 30, "max_score": 3})(),
             type("I", (), {"pk": 2, "weight": 70, "max_score": 7})()]  # fmt: skip
    assert weighted_total(items=items, values_by_item={1: [Decimal(1)], 2: [Decimal(7)]}) == (
        Decimal("80.00")
    )
    assert weighted_total(items=items, values_by_item={}) is None


def test_the_aggregate_takes_the_same_queries_for_three_or_thirty_entrants(
    school, committee_member, member2, django_assert_num_queries
):
    def build(n):
        panel = panel_open(items=ITEMS, members=[committee_member, member2], school=school)
        entrants_add(panel=panel, users=[None] * n)
        for member in (committee_member, member2):
            score(panel, member, [(50, 5)] * n)
        return panel

    small, large = build(3), build(30)
    with django_assert_num_queries(6):
        aggregate(panel=small)
    with django_assert_num_queries(6):
        result = aggregate(panel=large)
    assert len(result.totals) == 30 and set(result.ranks.values()) == {1}
