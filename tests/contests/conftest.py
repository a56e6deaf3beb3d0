import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contests import judging
from contests.models import Category
from contests.services import contests as services
from contests.services.entries import entry_submit
from core.models import Role, school_year_start
from tests.factories import SchoolFactory, SchoolYearFactory, TeacherFactory, user_with_role

TODAY = timezone.localdate()
YEAR = school_year_start(TODAY)


def pdf_upload(name="教案.pdf", extra=b""):
    body = b"1 0 obj << /Type /Catalog >> endobj\n" + extra
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + body + b"trailer << >>\n%%EOF\n")


def make_contest(by, *, school=None, district=None, judges=(), **kwargs):
    values = {
        "school": school,
        "district": district or school.district,
        "title": "2025学年青年教师赛课",
        "categories": [Category.CLASS, Category.COURSEWARE],
        "rules": "每人限报一节课。",
        "entry_opens": TODAY - datetime.timedelta(days=1),
        "entry_closes": TODAY + datetime.timedelta(days=5),
        "held_on": TODAY + datetime.timedelta(days=7),
        "quota_per_school": None,
        "criteria": [{"name": "教学设计", "weight": 40}, {"name": "课堂实施", "weight": 60}],
        "judges": list(judges),
        "by": by,
    }
    values.update(kwargs)
    return services.contest_create(**values)


def teacher_login(school, name, username):
    user = user_with_role(Role.TEACHER, school=school, username=username)
    TeacherFactory(school=school, user=user, name=name)
    return user


def enter(contest, teacher, by, category=Category.CLASS, title="《秋天的雨》"):
    return entry_submit(
        contest=contest,
        teacher=teacher,
        category=category,
        title=title,
        subject="语文",
        grade="三年级",
        upload=pdf_upload(),
        by=by,
    )


def score_all(contest, judge, value=80):
    """The judge fills and submits a sheet: ``value`` for every entry they score."""
    items = judging.items_of(contest)
    entries = judging.scored_entries(contest=contest, member=judge)
    values = {(e.pk, i.pk): value(e) if callable(value) else value for e in entries for i in items}
    judging.sheet_save(round=contest, member=judge, values=values)
    judging.sheet_send(round=contest, member=judge)


@pytest.fixture
def school_year(school):
    return SchoolYearFactory(district=school.district, start_year=YEAR)


@pytest.fixture
def judge_teacher(school):
    """A teacher who judges and who also enters: never scored by themselves."""
    return teacher_login(school, "王评委", "judgeteacher")


@pytest.fixture
def contest(school, school_year, training_office, committee_member, judge_teacher):
    return make_contest(training_office, school=school, judges=[committee_member, judge_teacher])


@pytest.fixture
def entrants(school):
    return [TeacherFactory(school=school, name=f"参赛{i}", staff_no=f"S{i:03d}") for i in range(3)]


@pytest.fixture
def sister_school(school):
    """Another school of the same district."""
    return SchoolFactory(code="A002", name="城关第二小学", district=school.district)


def published_contest(by, *, judge, teachers, school=None, district=None, title="赛课"):
    """A contest whose results are published: each of ``teachers`` entered by ``by`` (the
    organiser), scored by ``judge``, the first with a first prize."""
    contest = make_contest(by, school=school, district=district, judges=[judge], title=title)
    entries = [enter(contest, t, by) for t in teachers]
    services.entries_close(contest=contest, by=by)
    score_all(contest, judge)
    services.scores_reveal(contest=contest, by=by)
    services.prizes_set(contest=contest, prizes={entries[0].pk: "first"}, by=by)
    return services.results_publish(contest=contest, by=by)
