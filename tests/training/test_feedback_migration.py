"""The fixed feedback form's answers (content, speaker, usefulness, a comment) become answers
to the programme's default questions: the averages and comments read through the engine are
the old ones, and each answer sits in its own random-keyed row."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("training", "0007_programme_group_alter_programme_kind")]


def _state_apps():
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def _build_old(apps):
    District = apps.get_model("core", "District")
    School = apps.get_model("core", "School")
    Programme = apps.get_model("training", "Programme")
    Session = apps.get_model("training", "Session")
    Feedback = apps.get_model("training", "Feedback")
    district = District.objects.create(code="D901", name="迁移区")
    school = School.objects.create(district=district, code="F001", name="迁移小学", kind="primary")
    panel = apps.get_model("scoring", "Panel").objects.create(school=school)
    programme = Programme.objects.create(
        panel=panel, district=district, school=school, title="旧表培训", kind="school_based",
        start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2026, 6, 30), year=2025,
        hours_per_session=3, school_based=True, audience="all_staff", absence_share="0.33",
    )  # fmt: skip
    session = Session.objects.create(
        programme=programme, code="MIGRATE2", date=datetime.date(2025, 10, 1),
        starts_at=datetime.time(14), ends_at=datetime.time(16), theme="旧主题", hours=3,
    )  # fmt: skip
    for content, speaker, usefulness, comment in (
        (5, 4, 3, "很好"), (4, 4, 5, ""), (3, 5, 4, "再多些案例"),
    ):  # fmt: skip
        Feedback.objects.create(
            session=session, content=content, speaker=speaker, usefulness=usefulness,
            comment=comment,
        )  # fmt: skip
    return programme.pk


@pytest.mark.django_db(transaction=True)
def test_old_feedback_reads_the_same_through_the_default_questions():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        programme_id = _build_old(_state_apps())
        MigrationExecutor(connection).migrate(latest)
        from training.feedback import programme_summary
        from training.models import FeedbackQuestion, FeedbackResponse, Programme

        programme = Programme.objects.get(pk=programme_id)
        summary = programme_summary(programme=programme)
        assert summary.responses == 3
        assert [summary.by_key(k).average for k in ("content", "speaker", "usefulness")] == [
            4.0, 4.3, 4.0,
        ]  # fmt: skip
        assert summary.by_key("comment").answers == 2  # two comments: not shown yet
        assert FeedbackQuestion.objects.filter(programme=programme).count() == 4
        assert FeedbackResponse.objects.filter(session__programme=programme).count() == 3
        MigrationExecutor(connection).migrate(BEFORE)
        Feedback = _state_apps().get_model("training", "Feedback")
        assert sorted(Feedback.objects.values_list("content", "comment")) == [
            (3, "再多些案例"), (4, ""), (5, "很好"),
        ]  # fmt: skip
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
