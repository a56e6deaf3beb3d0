"""A published prize on the winner's record, by itself (no retyping): one verified record per
entry (records.services.credits, keyed by ``contest-entry:<id>``). A class competition
(赛课) becomes a competition open class with its prize; every other category a paper or
result with the progress "awarded", the contest's level and the prize. Those are the rows the
duties count, the mentors' outcomes credit and the dossier prints. Taking a prize back (an
unpublished result, a corrected prize) archives its record."""

import datetime

from django.utils import timezone, translation

from records.models import Level, OpenClass, Paper
from records.services.credits import credit_withdraw, record_credit

from ..models import Category, Contest, Entry, Prize

RESULT_KINDS = {
    Category.COURSEWARE: Paper.ResultKind.COURSEWARE,
    Category.DESIGN: Paper.ResultKind.DESIGN,
    Category.CASE: Paper.ResultKind.CASE,
    Category.STORY: Paper.ResultKind.STORY,
    Category.PAPER: Paper.ResultKind.PAPER,
    Category.SPEECH: Paper.ResultKind.AWARD,
    Category.SKILLS: Paper.ResultKind.AWARD,
}
PAPER_PRIZES = {
    Prize.FIRST: Paper.Prize.FIRST,
    Prize.SECOND: Paper.Prize.SECOND,
    Prize.THIRD: Paper.Prize.THIRD,
    Prize.EXCELLENCE: Paper.Prize.EXCELLENCE,
}


def contest_level(contest: Contest) -> int:
    return Level.DISTRICT if contest.is_district else Level.SCHOOL


def _open_class_values(entry: Entry, contest: Contest) -> dict:
    teacher = entry.teacher
    with translation.override(teacher.school.language):
        prize = str(Prize(entry.prize).label)
    # A contest has a day, not an hour: the class counts from the morning of that day.
    starts = timezone.make_aware(datetime.datetime.combine(contest.held_on, datetime.time(8)))
    return {
        "class_kind": OpenClass.ClassKind.COMPETITION,
        "level": contest_level(contest),
        "date": contest.held_on,
        "starts_at": starts,
        "place": contest.title[:100],
        "subject": (entry.subject or teacher.subject)[:30],
        "grade_class": entry.grade[:50],
        "topic": entry.title[:200],
        "prize": prize[:50],
    }


def _paper_values(entry: Entry, contest: Contest) -> dict:
    return {
        "result_kind": RESULT_KINDS[entry.category],
        "paper_title": entry.title[:200],
        "date": contest.held_on,
        "progress": Paper.Progress.AWARDED,
        "venue": contest.title[:200],
        "award_level": contest_level(contest),
        "prize": PAPER_PRIZES[entry.prize],
    }


def prize_credit(*, entry: Entry, contest: Contest, by=None):
    """The winner's record of this entry's prize, created or corrected."""
    if entry.category == Category.CLASS:
        model, values = OpenClass, _open_class_values(entry, contest)
    else:
        model, values = Paper, _paper_values(entry, contest)
    return record_credit(
        model=model, teacher=entry.teacher, source=entry.source_key, values=values, by=by
    )


def prizes_credit(*, contest: Contest, by=None) -> None:
    """Every prize of a published contest on its record; an entry without a prize (any more)
    has none."""
    for entry in contest.entries.select_related("teacher__school"):
        if entry.prize:
            prize_credit(entry=entry, contest=contest, by=by)
        else:
            credit_withdraw(teacher=entry.teacher, source=entry.source_key, by=by)


def prizes_withdraw(*, contest: Contest, by=None) -> None:
    for entry in contest.entries.select_related("teacher"):
        credit_withdraw(teacher=entry.teacher, source=entry.source_key, by=by)
