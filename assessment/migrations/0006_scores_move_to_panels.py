"""Every assessment round's committee, components (copied from its template, remembering
which), score sheets (with their submission times) and scores move to a panel of the scoring
engine."""

from django.db import migrations
from django.utils import timezone

from scoring.migrating import copy_panel, panel_rows


def forward(apps, schema_editor):
    AssessmentRound = apps.get_model("assessment", "AssessmentRound")
    AssessmentEntry = apps.get_model("assessment", "AssessmentEntry")
    AssessmentScore = apps.get_model("assessment", "AssessmentScore")
    for round in AssessmentRound.objects.filter(panel__isnull=True).order_by("pk"):
        entries = list(round.entries.order_by("pk"))
        components = round.template.components.order_by("position", "pk")
        panel, entrants = copy_panel(
            apps,
            school_id=round.school_id,
            revealed_at=(
                None if round.status == "scoring" else round.finalised_at or timezone.now()
            ),
            member_ids=round.committee.order_by("pk").values_list("pk", flat=True),
            items=[
                (pk, name, weight, max_score, position, pk)
                for pk, name, weight, max_score, position in components.values_list(
                    "pk", "name", "weight", "max_score", "position"
                )
            ],
            entrants=[(e.pk, None, True) for e in entries],  # no 回避 in assessments
            sheets=round.sheets.order_by("pk").values_list("pk", "member_id", "submitted_at"),
            marks=AssessmentScore.objects.filter(sheet__round=round).values_list(
                "sheet_id", "entry_id", "component_id", "value"
            ),
        )
        round.panel = panel
        round.save(update_fields=["panel"])
        for entry in entries:
            entry.entrant_id = entrants[entry.pk]
        AssessmentEntry.objects.bulk_update(entries, ["entrant"])


def backward(apps, schema_editor):
    """The panels' rows back into the old tables, for a rollback (components stay in their
    template: the items remember them)."""
    AssessmentRound = apps.get_model("assessment", "AssessmentRound")
    AssessmentSheet = apps.get_model("assessment", "AssessmentSheet")
    AssessmentScore = apps.get_model("assessment", "AssessmentScore")
    for round in AssessmentRound.objects.filter(panel__isnull=False).order_by("pk"):
        rows = panel_rows(apps, round.panel_id)
        round.committee.set(rows["member_ids"])
        components = {pk: key for pk, *_fields, key in rows["items"]}
        sheets = {
            pk: AssessmentSheet.objects.create(round=round, member_id=member, submitted_at=at).pk
            for pk, member, at in rows["sheets"]
        }
        entries = dict(round.entries.values_list("entrant_id", "pk"))
        AssessmentScore.objects.bulk_create(
            AssessmentScore(
                sheet_id=sheets[s], entry_id=entries[e], component_id=components[i], value=v
            )
            for s, e, i, v in rows["marks"]
        )
        round.entries.update(entrant=None)
        panel_id, round.panel = round.panel_id, None
        round.save(update_fields=["panel"])
        apps.get_model("scoring", "Panel").objects.filter(pk=panel_id).delete()


class Migration(migrations.Migration):
    # Backwards this deletes panels: the selection rounds' panel column must still be there.
    dependencies = [
        ("assessment", "0005_round_panel_entry_entrant"),
        ("backbone", "0003_round_panel_candidate_entrant"),
    ]

    operations = [migrations.RunPython(forward, backward)]
