"""For the data migrations of the apps that move their own score sheets onto a panel: one
function, given the historical models (``apps``) and plain rows, so that it never depends on
the current models."""

from collections.abc import Iterable


def copy_panel(
    apps,
    *,
    school_id: int,
    revealed_at,
    member_ids: Iterable[int],
    items: Iterable[tuple],
    entrants: Iterable[tuple],
    sheets: Iterable[tuple],
    marks: Iterable[tuple],
):
    """A panel holding the given rows. ``items``: (old id, name, weight, max_score, position,
    key); ``entrants``: (old id, user id, active); ``sheets``: (old id, member id, submitted
    at); ``marks``: (old sheet id, old entrant id, old item id, value).
    Returns the panel and {old entrant id: new entrant id}."""
    Panel = apps.get_model("scoring", "Panel")
    PanelMember = apps.get_model("scoring", "PanelMember")
    Item = apps.get_model("scoring", "Item")
    Entrant = apps.get_model("scoring", "Entrant")
    Sheet = apps.get_model("scoring", "Sheet")
    Mark = apps.get_model("scoring", "Mark")
    panel = Panel.objects.create(school_id=school_id, revealed_at=revealed_at)
    PanelMember.objects.bulk_create(PanelMember(panel=panel, user_id=u) for u in member_ids)
    item_ids = {}
    for old, name, weight, max_score, position, key in items:
        item_ids[old] = Item.objects.create(
            panel=panel, name=name, weight=weight, max_score=max_score, position=position,
            key=key,
        ).pk  # fmt: skip
    entrant_ids = {}
    for old, user_id, active in entrants:
        entrant_ids[old] = Entrant.objects.create(panel=panel, user_id=user_id, active=active).pk
    sheet_ids = {}
    for old, member_id, submitted_at in sheets:
        sheet_ids[old] = Sheet.objects.create(
            panel=panel, member_id=member_id, submitted_at=submitted_at
        ).pk
    Mark.objects.bulk_create(
        Mark(
            sheet_id=sheet_ids[sheet],
            entrant_id=entrant_ids[entrant],
            item_id=item_ids[item],
            value=value,
        )
        for sheet, entrant, item, value in marks
        if item in item_ids and entrant in entrant_ids
    )
    return panel, entrant_ids


def panel_rows(apps, panel_id: int) -> dict:
    """The rows of a panel, for a migration that moves them back to its owner's old tables:
    member ids; items (id, name, weight, max_score, position, key); sheets (id, member id,
    submitted at); marks (sheet id, entrant id, item id, value)."""
    PanelMember = apps.get_model("scoring", "PanelMember")
    Item = apps.get_model("scoring", "Item")
    Sheet = apps.get_model("scoring", "Sheet")
    Mark = apps.get_model("scoring", "Mark")
    return {
        "member_ids": list(
            PanelMember.objects.filter(panel_id=panel_id).values_list("user_id", flat=True)
        ),
        "items": list(
            Item.objects.filter(panel_id=panel_id)
            .order_by("position", "pk")
            .values_list("pk", "name", "weight", "max_score", "position", "key")
        ),
        "sheets": list(
            Sheet.objects.filter(panel_id=panel_id)
            .order_by("pk")
            .values_list("pk", "member_id", "submitted_at")
        ),
        "marks": list(
            Mark.objects.filter(sheet__panel_id=panel_id).values_list(
                "sheet_id", "entrant_id", "item_id", "value"
            )
        ),
    }
