"""Collective preparation lands on each teacher's record by itself: one verified teaching
design (records.Paper of kind 教学设计) per teacher and unit, keyed by the unit's source key,
through the records app's one crediting engine (records.services.credits), so agreeing twice
or editing a reflection never makes a second one. Records never imports this app; the key is
an opaque text."""

import datetime

from records.models import Level, Paper
from records.services.credits import record_credit
from teachers.models import Teacher


def design_credit(
    *, teacher: Teacher, source: str, title: str, venue: str, date: datetime.date, by
) -> Paper:
    values = {
        "paper_title": title[:200],
        "venue": venue[:200],
        "date": date,
        "result_kind": Paper.ResultKind.DESIGN,
        "award_level": None,
    }
    return record_credit(model=Paper, teacher=teacher, source=source, values=values, by=by)


__all__ = ["Level", "design_credit"]
