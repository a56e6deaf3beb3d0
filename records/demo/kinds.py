"""Each kind of record, filled in as a teacher would."""

import datetime

from ..models import (
    Lecture,
    Level,
    Observation,
    OpenClass,
    Paper,
    ReadingNote,
    ResearchProject,
    SelfDevelopmentPlan,
    StudyTrip,
    TeachingReflection,
    Training,
)
from .constants import (
    BOOKS,
    CLASS_TIMES,
    GENERIC_TOPICS,
    HOLIDAY_TRAININGS,
    LECTURES,
    LESSON_REFLECTION,
    LESSONS,
    OTHER_TRAININGS,
    OUTREACH_SCHOOLS,
    OUTSIDERS,
    PAPER_TITLES,
    PLACES,
    REFLECTION,
    SCHOOL_TRAININGS,
    THEMES,
    TOPICS,
    TRIPS,
    TZ,
    VENUES,
)


class KindSteps:
    """RecordSeeder's record kinds: one method a kind, each saving one record."""

    @property
    def subject(self) -> str:
        return self.teacher.subject

    def topic(self) -> str:
        topics = TOPICS.get(self.subject) or [t.format(s=self.subject) for t in GENERIC_TOPICS]
        return self.rng.choice(topics)

    def open_class(self, day, status, *, kind=OpenClass.ClassKind.RESEARCH, level=Level.SCHOOL):
        outreach = kind == OpenClass.ClassKind.OUTREACH
        # Classes are taught on school days: a weekday in a semester, never later than today
        # unless the class is upcoming.
        day = self.school_day(day, upcoming=day > self.today)
        return self.save(
            OpenClass(
                date=day,
                starts_at=datetime.datetime.combine(
                    day, datetime.time(*self.rng.choice(CLASS_TIMES)), tzinfo=TZ
                ),
                class_kind=kind,
                level=level,
                place="多媒体教室" if outreach else self.rng.choice(PLACES),
                host_school=self.rng.choice(OUTREACH_SCHOOLS) if outreach else "",
                subject=self.subject,
                grade_class=(self.teacher.grades.split("、")[0] or "四年级") + "（2）班",
                topic=self.topic(),
                research_theme=self.rng.choice(THEMES),
                prize="二等奖" if kind == OpenClass.ClassKind.COMPETITION else "",
            ),
            status,
        )

    def observation(self, day, status, *, reason=""):
        if self.rng.random() < 0.75 and self.colleagues:
            observed = self.rng.choice(self.colleagues)
            who = {"observed_teacher": observed, "subject": observed.subject}
        else:
            name, school = self.rng.choice(OUTSIDERS)
            who = {"observed_name": name, "observed_school": school, "subject": self.subject}
        return self.save(
            Observation(
                date=day,
                class_name=self.rng.choice(["三年级（1）班", "四年级（3）班", "五年级（2）班"]),
                notes="教学目标清晰，情境导入自然；小组合作时学生参与度高。"
                "建议：追问可以更深入，给学生更多表达的时间。",
                rating=self.rng.choice([3, 4, 4, 5]),
                **who,
            ),
            status,
            reason=reason,
        )

    def paper(self, day, status, *, progress=Paper.Progress.WRITTEN, reason=""):
        awarded = progress == Paper.Progress.AWARDED
        return self.save(
            Paper(
                date=day,
                result_kind=self.rng.choice([Paper.ResultKind.PAPER, Paper.ResultKind.CASE]),
                paper_title=self.rng.choice(PAPER_TITLES).format(s=self.subject),
                progress=progress,
                venue=self.rng.choice(VENUES) if progress != Paper.Progress.WRITTEN else "",
                award_level=self.rng.choice([Level.DISTRICT, Level.MUNICIPAL]) if awarded else None,
                prize=self.rng.choice(list(Paper.Prize.values[:3])) if awarded else "",
            ),
            status,
            reason=reason,
        )

    def project(self, day, status, *, role=ResearchProject.Role.LEADER, level=Level.DISTRICT):
        record = self.save(
            ResearchProject(
                date=day,
                project_title=f"小学{self.subject}作业设计的实践研究",
                level=level,
                role=role,
                other_members="",
                stage=ResearchProject.Stage.APPROVED,
                approved_on=day,
                semester_plan="第一阶段：文献学习与现状调查；第二阶段：设计分层作业并在两个班试用。",
                process_records="9月：组建课题组，完成调查问卷；10月：收集学生作业样本并分析。",
                stage_summary="",
                outcome="",
            ),
            status,
        )
        record.members.set(self.rng.sample(self.colleagues, min(2, len(self.colleagues))))
        return record

    def lecture(self, day, status):
        topic, audience = self.rng.choice(LECTURES)
        return self.save(
            Lecture(date=day, topic=topic, audience=audience, attendees=self.rng.randint(12, 80)),
            status,
        )

    def training(self, day, status, *, hours, school_based, reason=""):
        if school_based:
            course, level = self.rng.choice(SCHOOL_TRAININGS), Level.SCHOOL
        else:
            course, level = self.rng.choice(OTHER_TRAININGS)
        days = 0 if hours <= 8 else min(4, int(hours // 8))
        if not school_based:
            course, level, day = self.training_when(course, level, day, days)
        return self.save(
            Training(
                date=day,
                end_date=day + datetime.timedelta(days=days),
                course=course,
                organiser_level=level,
                hours=hours,
                school_based=school_based,
            ),
            status,
            reason=reason,
        )

    def training_when(self, course, level, day, days):
        """A summer or winter training is held in that holiday of the day's school year; when
        the holiday has not come yet, the session is another course on the same day."""
        holiday = next((h for word, h in HOLIDAY_TRAININGS.items() if word in course), None)
        if holiday is None:
            return course, level, day
        first, last = self.holiday(day, holiday)
        if last - datetime.timedelta(days=days) < first or last > self.today:
            others = [t for t in OTHER_TRAININGS if not any(w in t[0] for w in HOLIDAY_TRAININGS)]
            return (*self.rng.choice(others), day)
        offset = self.rng.randint(0, (last - first).days - days)
        return course, level, first + datetime.timedelta(days=offset)

    def reading(self, day, status):
        book = self.rng.choice(BOOKS)
        return self.save(
            ReadingNote(
                date=day.replace(day=1), book=book, reflection=REFLECTION.format(book=book)
            ),
            status,
        )

    def teaching_reflection(self, day, status):
        lesson = self.rng.choice(LESSONS)
        return self.save(
            TeachingReflection(
                date=day, lesson=lesson, reflection=LESSON_REFLECTION.format(lesson=lesson)
            ),
            status,
        )

    def study_trip(self, day, status, *, follow_up=None):
        destination, purpose = self.rng.choice(TRIPS)
        return self.save(
            StudyTrip(
                date=day,
                end_date=day + datetime.timedelta(days=2),
                destination=destination,
                purpose=purpose.format(s=self.subject),
                report="三天听了八节课、两场专家报告。最大的收获是课堂上“学为中心”的具体做法，"
                "回校后在组内做了汇报，并上了一节汇报课。",
                follow_up=follow_up,
            ),
            status,
        )

    def plan_record(self, day, status, *, first_year):
        return self.save(
            SelfDevelopmentPlan(
                date=day,
                first_year=first_year,
                last_year=first_year + 2,
                review="从教以来一直担任班主任和语文教学工作，教学成绩稳定，多次承担校级公开课。",
                self_assessment="课堂组织能力较强；教育科研和论文写作是短板。",
                long_term_goals="三年内成为区级骨干教师，形成自己的教学风格。",
                short_term_goals="本学年上一节区级公开课，完成一篇区级获奖论文。",
                measures="每学期读一本教育专著；每周听课两节；参加区级课题研究。",
            ),
            status,
        )
