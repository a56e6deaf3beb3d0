"""The demo: a published class competition with the `teacher` login's prize on their record,
a lesson study and a shared library; seeding again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from contests.models import Contest, Entry, SharedItem
from records.models import LessonStudy, OpenClass

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_published_contest_a_prize_on_the_teachers_record_and_a_library():
    call_command("seed_demo", stdout=StringIO())
    contest = Contest.objects.get()
    assert contest.is_published and contest.entries.exclude(prize="").count() == 4
    prize = OpenClass.objects.get(teacher__user__username="teacher", source__startswith="contest")
    assert prize.prize == "一等奖" and prize.status == "verified"
    assert LessonStudy.objects.get().rounds.count() >= 2
    assert SharedItem.objects.filter(selected=True).exists()
    before = (Contest.objects.count(), Entry.objects.count(), SharedItem.objects.count(),
              LessonStudy.objects.count(), OpenClass.objects.count())  # fmt: skip
    call_command("seed_demo", stdout=StringIO())
    assert before == (Contest.objects.count(), Entry.objects.count(), SharedItem.objects.count(),
                      LessonStudy.objects.count(), OpenClass.objects.count())  # fmt: skip
