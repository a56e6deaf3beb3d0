"""Every selection round's committee, criteria, score sheets (with their submission times)
and scores move to a panel of the scoring engine."""

import datetime

from django.db import migrations
from django.utils import timezone

from scoring.migrating import copy_panel, panel_rows

REVEALED = ("announced", "confirmed")


def _revealed_at(round):
    if round.status not in REVEALED:
        return None
    if round.announce_from is None:
        return round.confirmed_at or timezone.now()
    return timezone.make_aware(datetime.datetime.combine(round.announce_from, datetime.time()))


def forward(apps, schema_editor):
    SelectionRound = apps.get_model("backbone", "SelectionRound")
    Candidate = apps.get_model("backbone", "Candidate")
    Score = apps.get_model("backbone", "Score")
    for round in SelectionRound.objects.filter(panel__isnull=True).order_by("pk"):
        candidates = list(round.candidates.select_related("teacher").order_by("pk"))
        panel, entrants = copy_panel(
            apps,
            school_id=round.school_id,
            revealed_at=_revealed_at(round),
            member_ids=round.committee.order_by("pk").values_list("pk", flat=True),
            items=[
                (*row, None)
                for row in round.criteria.order_by("position", "pk").values_list(
                    "pk", "name", "weight", "max_score", "position"
                )
            ],
            entrants=[(c.pk, c.teacher.user_id, not c.withdrawn) for c in candidates],
            sheets=round.score_sheets.order_by("pk").values_list("pk", "member_id", "submitted_at"),
            marks=Score.objects.filter(sheet__round=round).values_list(
                "sheet_id", "candidate_id", "criterion_id", "value"
            ),
        )
        round.panel = panel
        round.save(update_fields=["panel"])
        for candidate in candidates:
            candidate.entrant_id = entrants[candidate.pk]
        Candidate.objects.bulk_update(candidates, ["entrant"])


def backward(apps, schema_editor):
    """The panels' rows back into the old tables, for a rollback."""
    SelectionRound = apps.get_model("backbone", "SelectionRound")
    Criterion = apps.get_model("backbone", "Criterion")
    ScoreSheet = apps.get_model("backbone", "ScoreSheet")
    Score = apps.get_model("backbone", "Score")
    for round in SelectionRound.objects.filter(panel__isnull=False).order_by("pk"):
        rows = panel_rows(apps, round.panel_id)
        round.committee.set(rows["member_ids"])
        criteria = {
            pk: Criterion.objects.create(
                round=round, name=name, weight=weight, max_score=max_score, position=position
            ).pk
            for pk, name, weight, max_score, position, _key in rows["items"]
        }
        sheets = {
            pk: ScoreSheet.objects.create(round=round, member_id=member, submitted_at=at).pk
            for pk, member, at in rows["sheets"]
        }
        candidates = dict(round.candidates.values_list("entrant_id", "pk"))
        Score.objects.bulk_create(
            Score(sheet_id=sheets[s], candidate_id=candidates[e], criterion_id=criteria[i], value=v)
            for s, e, i, v in rows["marks"]
        )
        round.candidates.update(entrant=None)
        panel_id, round.panel = round.panel_id, None
        round.save(update_fields=["panel"])
        apps.get_model("scoring", "Panel").objects.filter(pk=panel_id).delete()


class Migration(migrations.Migration):
    dependencies = [("backbone", "0003_round_panel_candidate_entrant")]

    operations = [migrations.RunPython(forward, backward)]
