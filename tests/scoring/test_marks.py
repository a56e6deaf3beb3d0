"""Writing and submitting a sheet: validation, recusal, a member who leaves."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from scoring.models import Mark
from scoring.selectors import aggregate, own_sheet, scored_by
from scoring.services.marks import keyed, marks_save, sheet_submit
from scoring.services.panels import entrants_add, member_leave, member_recuse

from .conftest import cells


def save(panel, member, rows):
    return marks_save(
        panel=panel,
        member=member,
        values=cells(panel, rows),
        name=lambda entrant: f"entrant {entrant.pk}",
        unknown="unknown",
    )


def submit(panel, member):
    return sheet_submit(panel=panel, member=member, incomplete=lambda n: f"{n} missing")


def test_a_draft_saves_clears_and_refuses_bad_cells_all_or_nothing(panel, committee_member):
    save(panel, committee_member, [(80, 8), (70, 7), (60, 6)])
    _sheet, values = own_sheet(panel=panel, member=committee_member)
    assert sorted(values.values()) == [6, 7, 8, 60, 70, 80]
    with pytest.raises(ValidationError) as exc:
        save(panel, committee_member, [(101, 8), (70, 10.5), ("", "abc")])
    assert len(exc.value.messages) == 3  # every bad cell named
    assert Mark.objects.count() == 6  # nothing written
    save(panel, committee_member, [(90, 9), (70, 7), ("", "")])
    _sheet, values = own_sheet(panel=panel, member=committee_member)
    assert len(values) == 4 and Decimal(90) in values.values()


def test_a_sheet_is_submitted_only_complete_and_is_final(panel, committee_member):
    save(panel, committee_member, [(80, 8), (70, 7), (60, None)])
    with pytest.raises(ValidationError, match="1 missing"):
        submit(panel, committee_member)
    save(panel, committee_member, [(80, 8), (70, 7), (60, 6)])
    assert submit(panel, committee_member).is_submitted
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="评分表已提交"):
        save(panel, committee_member, [(1, 1), (1, 1), (1, 1)])


def test_outsiders_cannot_score(panel, training_office):
    with pytest.raises(PermissionDenied):
        save(panel, training_office, [(1, 1), (1, 1), (1, 1)])


def test_nobody_scores_themselves(panel, committee_member, member2):
    (own,) = entrants_add(panel=panel, users=[committee_member])
    assert own not in scored_by(panel=panel, member=committee_member)
    assert own in scored_by(panel=panel, member=member2)
    with pytest.raises(ValidationError, match="unknown"):
        marks_save(
            panel=panel, member=committee_member, values={(own.pk, panel.items.first().pk): 5},
            name=str, unknown="unknown",
        )  # fmt: skip


def test_a_member_recused_from_an_entrant_does_not_score_them(panel, committee_member):
    first = panel.entrants.order_by("pk").first()
    member_recuse(panel=panel, user=committee_member, reason="亲属", entrants=[first])
    assert list(scored_by(panel=panel, member=committee_member)) == list(
        panel.entrants.order_by("pk")[1:]
    )


def test_a_recused_member_scores_nothing_and_their_submitted_marks_do_not_count(
    panel, committee_member, member2
):
    save(panel, committee_member, [(100, 10), (100, 10), (100, 10)])
    submit(panel, committee_member)
    save(panel, member2, [(50, 5), (50, 5), (50, 5)])
    submit(panel, member2)
    assert set(aggregate(panel=panel).totals.values()) == {Decimal("75.00")}
    member_recuse(panel=panel, user=committee_member, reason="利益冲突")
    result = aggregate(panel=panel)
    assert set(result.totals.values()) == {Decimal("50.00")}
    assert [s.member for s in result.sheets] == [member2]
    with pytest.raises(ValidationError):
        member_recuse(panel=panel, user=member2, reason="  ")


def test_a_member_who_leaves_scores_no_more_but_their_submitted_sheet_counts(
    panel, committee_member, member2
):
    save(panel, committee_member, [(100, 10), (100, 10), (100, 10)])
    submit(panel, committee_member)
    save(panel, member2, [(50, 5), (50, 5), (50, 5)])  # a draft, never submitted
    member_leave(panel=panel, user=committee_member)
    member_leave(panel=panel, user=member2)
    with pytest.raises(PermissionDenied):
        save(panel, member2, [(50, 5), (50, 5), (50, 5)])
    result = aggregate(panel=panel)
    assert [s.member for s in result.sheets] == [committee_member]
    assert set(result.totals.values()) == {Decimal("100.00")}


def test_nothing_is_written_or_submitted_once_the_owner_stops_the_scoring(panel, committee_member):
    values = cells(panel, [(80, 8), (70, 7), (60, 6)])
    with pytest.raises(ValidationError):
        marks_save(
            panel=panel, member=committee_member, values=values, name=str, unknown="unknown",
            scoring_open=False,
        )  # fmt: skip
    save(panel, committee_member, [(80, 8), (70, 7), (60, 6)])
    with pytest.raises(ValidationError):
        sheet_submit(panel=panel, member=committee_member, incomplete=str, scoring_open=False)
    assert not own_sheet(panel=panel, member=committee_member)[0].is_submitted


def test_the_owners_ids_map_to_entrants_and_items_and_unknown_ones_are_refused(
    panel, committee_member
):
    entrant = panel.entrants.order_by("pk").first()
    item = panel.items.first()
    values = keyed({(7, 70): 5}, rows={7: entrant.pk}, columns={70: item.pk})
    assert values == {(entrant.pk, item.pk): 5}
    with pytest.raises(ValidationError, match="unknown"):
        marks_save(
            panel=panel, member=committee_member, values=keyed({(8, 70): 5}, rows={7: 1}),
            name=str, unknown="unknown",
        )  # fmt: skip
