"""The move of the selection and assessment rounds' score sheets onto panels keeps every score,
sheet and submission time: built on the schema before the move with the historical models,
migrated forward, the scores, totals and ranks read through the engine are the ones computed
from the old tables."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("backbone", "0002_designation_flag_reason_designation_flagged_at"),
    ("assessment", "0004_annual_grade_moves_to_teachers"),
]
SUBMITTED = timezone.make_aware(datetime.datetime(2025, 10, 9, 14, 30, 5))


def _latest(executor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


def _applied_state():
    """The models as the database holds them now: every applied migration of every app (other
    apps' later migrations, such as a new teacher column, stay applied while these two move
    back)."""
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def _old_totals(criteria, sheets):
    """The old round page's arithmetic on the old rows: per candidate, the average of the
    submitted sheets per criterion / max × weight, summed to two places, and ranks 1, 2, 2, 4."""
    values: dict = {}
    for sheet in sheets:
        if sheet["submitted_at"] is None:
            continue
        for (candidate, criterion), value in sheet["scores"].items():
            values.setdefault(candidate, {}).setdefault(criterion, []).append(Decimal(value))
    totals = {}
    for candidate, by_criterion in values.items():
        total = sum(
            (sum(v) / len(v) / c["max_score"] * c["weight"])
            for c in criteria
            if (v := by_criterion.get(c["pk"]))
        )
        totals[candidate] = Decimal(total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    ordered = sorted(totals.values(), reverse=True)
    ranks = {k: ordered.index(t) + 1 for k, t in totals.items()}
    return totals, ranks


def _build_old(apps):
    """A school with a selection round in scoring, an announced one and an assessment round,
    their committees, sheets (submitted and draft) and scores, on the old tables."""
    District = apps.get_model("core", "District")
    School = apps.get_model("core", "School")
    User = apps.get_model("core", "User")
    Teacher = apps.get_model("teachers", "Teacher")
    Tier = apps.get_model("backbone", "Tier")
    SelectionRound = apps.get_model("backbone", "SelectionRound")
    Criterion = apps.get_model("backbone", "Criterion")
    Candidate = apps.get_model("backbone", "Candidate")
    ScoreSheet = apps.get_model("backbone", "ScoreSheet")
    Score = apps.get_model("backbone", "Score")
    Template = apps.get_model("assessment", "AssessmentTemplate")
    AssessmentRound = apps.get_model("assessment", "AssessmentRound")
    AssessmentEntry = apps.get_model("assessment", "AssessmentEntry")
    AssessmentSheet = apps.get_model("assessment", "AssessmentSheet")
    AssessmentScore = apps.get_model("assessment", "AssessmentScore")

    district = District.objects.create(code="D900", name="迁移区")
    school = School.objects.create(district=district, code="M001", name="迁移小学", kind="primary")
    members = [User.objects.create(username=f"m{i}", password="x") for i in range(3)]
    teachers = [
        Teacher.objects.create(
            school=school, staff_no=f"M{i:03d}", name=name, gender="F",
            birth_date=datetime.date(1985, 1, 1), career_start=datetime.date(2008, 9, 1),
            education=4, title=2, subject="语文", user=members[0] if i == 3 else None,
        )
        for i, name in enumerate(["王芳", "刘洋", "陈静", "赵磊"])
    ]  # fmt: skip
    tier = Tier.objects.create(
        district=district, code="school", name="校级骨干教师", name_en="School", level=1
    )
    expected = {"selection": {}, "assessment": {}}
    for status in ("scoring", "announced"):
        round = SelectionRound.objects.create(
            school=school, tier=tier, title=status, year=2025, term_years=2, quota=2,
            apply_from=datetime.date(2025, 9, 1), apply_until=datetime.date(2025, 9, 30),
            status=status, announce_from=datetime.date(2025, 10, 10) if status == "announced"
            else None, announce_until=datetime.date(2025, 10, 15) if status == "announced"
            else None,
        )  # fmt: skip
        round.committee.set(members)
        criteria = [
            Criterion.objects.create(round=round, name="师德", weight=20, max_score=10),
            Criterion.objects.create(
                round=round, name="实绩", weight=80, max_score=100, position=1
            ),
        ]
        candidates = [
            Candidate.objects.create(round=round, teacher=t, source="applied", is_eligible=True,
                                     withdrawn=(i == 2))
            for i, t in enumerate(teachers)
        ]  # fmt: skip
        rows = {  # member index -> (submitted, {candidate index: (ethics, results)})
            0: (True, {0: (8, 80), 1: (9, 85.5), 2: (5, 50)}),  # the member is candidate 3
            1: (True, {0: (9, 90), 1: (8, 84.5), 2: (6, 60), 3: (7, 70)}),
            2: (False, {0: (1, 1), 1: (1, 1)}),  # a draft never counts
        }
        sheets = []
        for m, (submitted, scores) in rows.items():
            sheet = ScoreSheet.objects.create(
                round=round, member=members[m], submitted_at=SUBMITTED if submitted else None
            )
            cells = {}
            for c, values in scores.items():
                for criterion, value in zip(criteria, values, strict=True):
                    Score.objects.create(
                        sheet=sheet, candidate=candidates[c], criterion=criterion,
                        value=Decimal(str(value)),
                    )  # fmt: skip
                    cells[(candidates[c].pk, criterion.pk)] = Decimal(str(value))
            sheets.append({"member": members[m].pk, "submitted_at": sheet.submitted_at,
                           "scores": cells})  # fmt: skip
        spec = [{"pk": c.pk, "weight": c.weight, "max_score": c.max_score} for c in criteria]
        totals, ranks = _old_totals(spec, sheets)
        withdrawn = candidates[2].pk
        ranks = _old_totals(
            spec,
            [
                {**s, "scores": {k: v for k, v in s["scores"].items() if k[0] != withdrawn}}
                for s in sheets
            ],
        )[1]
        expected["selection"][round.pk] = {"totals": totals, "ranks": ranks, "sheets": sheets}

    template = Template.objects.create(district=district, name="年度考核", kind="annual",
                                       valid_from=2025)  # fmt: skip
    components = [
        template.components.create(name="师德", weight=30, max_score=30),
        template.components.create(name="教学", weight=70, max_score=100, position=1),
    ]
    for status in ("scoring", "finalised"):
        round = AssessmentRound.objects.create(
            school=school, template=template, title=status, year=2025, status=status
        )
        round.committee.set(members[:2])
        entries = [AssessmentEntry.objects.create(round=round, teacher=t) for t in teachers]
        sheets = []
        for m, submitted in ((0, True), (1, status == "finalised")):
            sheet = AssessmentSheet.objects.create(
                round=round, member=members[m], submitted_at=SUBMITTED if submitted else None
            )
            cells = {}
            for e, entry in enumerate(entries):
                for c, component in enumerate(components):
                    value = Decimal(str(20 + e * 2.5 + m + c * 50))
                    AssessmentScore.objects.create(
                        sheet=sheet, entry=entry, component=component, value=value
                    )
                    cells[(entry.pk, component.pk)] = value
            sheets.append({"member": members[m].pk, "submitted_at": sheet.submitted_at,
                           "scores": cells})  # fmt: skip
        spec = [{"pk": c.pk, "weight": c.weight, "max_score": c.max_score} for c in components]
        totals, ranks = _old_totals(spec, sheets)
        expected["assessment"][round.pk] = {"totals": totals, "ranks": ranks, "sheets": sheets}
    return expected


@pytest.mark.django_db(transaction=True)
def test_scores_totals_ranks_and_submission_times_are_the_same_after_the_move():
    executor = MigrationExecutor(connection)
    latest = _latest(executor)
    try:
        executor.migrate(BEFORE)
        expected = _build_old(_applied_state())
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        _check_selection(expected["selection"])
        _check_assessment(expected["assessment"])
        # and back, for a rollback: the old tables hold the same sheets and scores again
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        _check_rolled_back(_applied_state(), expected)
    finally:
        MigrationExecutor(connection).migrate(_latest(MigrationExecutor(connection)))


def _marks(panel, key_of_entrant, key_of_item):
    from scoring.models import Sheet

    return [
        {
            "member": sheet.member_id,
            "submitted_at": sheet.submitted_at,
            "scores": {
                (key_of_entrant[m.entrant_id], key_of_item[m.item_id]): m.value
                for m in sheet.marks.all()
            },
        }
        for sheet in Sheet.objects.filter(panel=panel).order_by("pk").prefetch_related("marks")
    ]


def _check_selection(expected):
    from backbone.models import SelectionRound
    from backbone.selectors.rounds import score_table
    from scoring.selectors import aggregate

    for pk, old in expected.items():
        round = SelectionRound.objects.get(pk=pk)
        candidate_of = dict(round.candidates.values_list("entrant_id", "pk"))
        criteria = list(round.criteria.all())
        # criteria became items with new ids: compare by position
        old_criteria = sorted({k[1] for s in old["sheets"] for k in s["scores"]})
        item_key = {item.pk: old_criteria[item.position] for item in criteria}
        assert _marks(round.panel, candidate_of, item_key) == old["sheets"]
        assert score_table(round=round).weighted == old["totals"]
        result = aggregate(panel=round.panel)
        assert {candidate_of[e]: r for e, r in result.ranks.items()} == old["ranks"]
        assert round.panel.is_secret is (round.status == "scoring")
        assert set(round.committee.values_list("username", flat=True)) == {"m0", "m1", "m2"}


def _check_assessment(expected):
    from assessment import grading
    from assessment.models import AssessmentRound
    from assessment.selectors import submitted_values
    from scoring.selectors import aggregate

    for pk, old in expected.items():
        round = AssessmentRound.objects.get(pk=pk)
        entry_of = dict(round.entries.values_list("entrant_id", "pk"))
        item_key = dict(round.panel.items.values_list("pk", "key"))
        assert _marks(round.panel, entry_of, item_key) == old["sheets"]
        components = [
            grading.Component(c.pk, c.name, c.weight, c.max_score)
            for c in round.template.components.all()
        ]
        values = submitted_values(round=round)
        totals = {
            entry: grading.weighted_score(components=components, sheets=sheets)
            for entry, sheets in values.items()
        }
        assert totals == old["totals"]
        result = aggregate(panel=round.panel)
        assert {entry_of[e]: t for e, t in result.totals.items()} == old["totals"]
        assert {entry_of[e]: r for e, r in result.ranks.items()} == old["ranks"]
        assert round.panel.is_secret is (round.status == "scoring")


def _check_rolled_back(apps, expected):
    ScoreSheet = apps.get_model("backbone", "ScoreSheet")
    AssessmentSheet = apps.get_model("assessment", "AssessmentSheet")
    from scoring.models import Panel  # its table stays: only the owners' migrations went back

    assert not Panel.objects.exists()
    for pk, old in expected["selection"].items():
        old_criteria = sorted({k[1] for s in old["sheets"] for k in s["scores"]})
        sheets = []
        for sheet in ScoreSheet.objects.filter(round_id=pk).order_by("pk"):
            scores = {
                (s.candidate_id, old_criteria[s.criterion.position]): s.value
                for s in sheet.scores.select_related("criterion")
            }
            sheets.append(
                {"member": sheet.member_id, "submitted_at": sheet.submitted_at, "scores": scores}
            )
        assert sheets == old["sheets"]
    for pk, old in expected["assessment"].items():
        sheets = [
            {
                "member": sheet.member_id,
                "submitted_at": sheet.submitted_at,
                "scores": {(s.entry_id, s.component_id): s.value for s in sheet.scores.all()},
            }
            for sheet in AssessmentSheet.objects.filter(round_id=pk).order_by("pk")
        ]
        assert sheets == old["sheets"]
