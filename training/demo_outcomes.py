"""Demo answers (the step is in training.demo): feedback on the school-based programme's past
sessions from most of their attendees, and next year's training-needs survey of the primary
school answered by most of its teachers. The `teacher` login answers neither, so its My
training and home show both to do. Nothing is added when answers exist already."""

import random

from teachers.models import Teacher

from .feedback import feedback_give, questions_ensure
from .models import Attendance, FeedbackGiven, NeedsGiven, Programme
from .needs.services import questions_of, survey_answer, survey_open

COMMENTS = ["案例贴近课堂，很实用", "希望多留时间分组研讨", "讲座内容充实", "希望提供课件",
            "建议结合本校学情", "互动环节很好"]  # fmt: skip
PROBLEMS = ["分层作业如何设计", "大单元教学课时怎么安排", "如何写课题开题报告",
            "课堂提问效率不高", "信息技术与课堂融合"]  # fmt: skip


def feedback_answers(programme: Programme, *, skip: Teacher | None, rng) -> int:
    if FeedbackGiven.objects.filter(session__programme=programme).exists():
        return 0
    questions = {q.key: q for q in questions_ensure(programme=programme)}
    given = 0
    lines = Attendance.objects.filter(
        session__programme=programme, status__in=Attendance.ATTENDED
    ).select_related("session", "teacher")
    for line in lines:
        if line.teacher == skip or rng.random() < 0.25:
            continue
        answers = [(questions[k], rng.choice([3, 4, 4, 5, 5, 5]), "")
                   for k in ("content", "speaker", "usefulness")]  # fmt: skip
        if rng.random() < 0.3:
            answers.append((questions["comment"], None, rng.choice(COMMENTS)))
        feedback_give(session=line.session, teacher=line.teacher, answers=answers)
        given += 1
    return given


def needs_answers(school, *, year: int, office, skip: Teacher | None, rng) -> int:
    survey = survey_open(
        school=school, district_id=school.district_id, year=year, by=office,
        title=f"{year}学年研训需求调查",
    )  # fmt: skip
    if NeedsGiven.objects.filter(survey=survey).exists():
        return 0
    q = {x.key: x for x in questions_of(survey)}
    weights = [5, 8, 4, 6, 3, 4, 2, 3]  # topics: what the demo school asks for most
    answered = 0
    for teacher in school.teachers.filter(is_active=True).order_by("pk"):
        if teacher == skip or rng.random() < 0.3:
            continue
        topics = set(rng.choices(range(len(weights)), weights=weights, k=2))
        answers = [(q["topics"], n, "") for n in sorted(topics)]
        answers += [(q["forms"], n, "") for n in sorted(set(rng.choices(range(7), k=2)))]
        answers.append((q["times"], rng.choice([0, 1, 1, 3]), ""))
        if rng.random() < 0.4:
            answers.append((q["problems"], None, rng.choice(PROBLEMS)))
        survey_answer(survey=survey, teacher=teacher, answers=answers)
        answered += 1
    return answered


def seed(demo, *, office, login_teacher) -> None:
    from core.models import School

    rng = random.Random(20261202)
    school = demo.schools[School.Kind.PRIMARY]
    year = demo.current_year.start_year
    programme = Programme.objects.filter(school=school, year=year, kind="school_based").first()
    if programme and office:
        n = feedback_answers(programme, skip=login_teacher, rng=rng)
        demo.log(f"{school.name}: {n} anonymous feedback answers")
    if office:
        n = needs_answers(school, year=year + 1, office=office, skip=login_teacher, rng=rng)
        demo.log(f"{school.name}: training-needs survey, {n} answers")
