"""One school's professional records, open-class sign-ups and evaluations."""

import datetime
from decimal import Decimal

from records.models import (
    AuditEntry,
    Lecture,
    Level,
    Observation,
    OpenClass,
    OpenClassEvaluation,
    OpenClassSignup,
    Paper,
    ReadingNote,
    Record,
    ResearchProject,
    SelfDevelopmentPlan,
    Status,
    StudyTrip,
    TeachingReflection,
    Training,
)
from teachers.models import Teacher

from .bulk import bulk_create_records
from .constants import (
    BOOKS,
    LECTURES,
    OBSERVATION_NOTES,
    OTHER_TRAININGS,
    OUTSIDERS,
    PAPER_TITLES,
    PLACES,
    REFLECTION,
    SCHOOL_TRAININGS,
    SUBJECT_TOPICS,
    THEMES,
    TRIPS,
    TZ,
    VENUES,
)


class RecordSteps:
    """SchoolSeeder's record steps: every kind of professional record over the years."""

    def records(self) -> None:
        backbone = set(self.holders)
        self.upcoming_open_classes()
        for teacher in self.roster:
            for year in self.bench.years:
                if self.in_service(teacher, year):
                    self.teacher_year(teacher, year, teacher.pk in backbone)
        self.pairing_observations()
        bulk_create_records(self.new_records)
        members = ResearchProject.members.through
        members.objects.bulk_create(
            members(researchproject_id=p.pk, teacher_id=t.pk)
            for p, team in self.projects
            for t in team
        )
        self.audit()
        self.signups_and_evaluations()
        self.bench.counts["records"] += len(self.new_records)

    def add(self, record: Record, teacher: Teacher, year: int, status: str | None = None):
        status = status or self.status_for(year, record.date)
        self.new_records.append(self.stamp(record, teacher, status))
        return record

    def teacher_year(self, teacher: Teacher, year: int, backbone: bool) -> None:
        rng, s = self.rng, teacher.subject
        start, end = self.period(year)
        share = min(1.0, max(0.05, (end - start).days / 312))  # of the year gone by
        self.trainings(teacher, year, share)
        for _ in range(round(rng.randint(2, 4) * share + rng.random() * 0.5)):
            self.observation(teacher, year)
        if rng.random() < (0.95 if backbone else 0.5) * share:
            level = rng.choice([Level.DISTRICT, Level.MUNICIPAL]) if backbone else Level.SCHOOL
            kind = rng.choice(list(OpenClass.ClassKind.values[:5]))
            self.open_class(teacher, year, self.day(year), kind=kind, level=level)
        if rng.random() < (0.9 if backbone else 0.3) * share:
            progress = rng.choice(list(Paper.Progress.values))
            awarded = progress == Paper.Progress.AWARDED
            self.add(
                Paper(
                    date=self.day(year),
                    result_kind=rng.choice(list(Paper.ResultKind.values)),
                    paper_title=rng.choice(PAPER_TITLES).format(s=s),
                    progress=progress,
                    venue=rng.choice(VENUES) if progress != Paper.Progress.WRITTEN else "",
                    award_level=rng.choice([Level.DISTRICT, Level.MUNICIPAL]) if awarded else None,
                    prize=rng.choice(list(Paper.Prize.values[:3])) if awarded else "",
                ),
                teacher,
                year,
            )
        talk = None
        if rng.random() < (0.9 if backbone else 0.1) * share:
            topic, audience = rng.choice(LECTURES)
            talk = self.add(
                Lecture(
                    date=self.day(year),
                    topic=topic,
                    audience=audience,
                    attendees=rng.randint(12, 80),
                ),
                teacher,
                year,
            )
        for _ in range(round(rng.randint(1, 3) * share)):
            book = rng.choice(BOOKS)
            self.add(
                ReadingNote(
                    date=self.day(year), book=book, reflection=REFLECTION.format(book=book)
                ),
                teacher,
                year,
            )
        if not backbone:  # young teachers' weekly reflections, a few a year here
            for _ in range(round(rng.randint(0, 3) * share)):
                self.add(
                    TeachingReflection(
                        date=self.day(year),
                        lesson=f"{teacher.subject}：{rng.choice(BOOKS)}读后的一节课",
                        reflection="导入环节用时过长，小组讨论的任务不够具体；下次先示范再分组。",
                    ),
                    teacher,
                    year,
                )
        if backbone and rng.random() < 0.35 * share:
            self.project(teacher, year)
        if talk and rng.random() < 0.3:
            destination, purpose = rng.choice(TRIPS)
            day = self.day(year, share=0.3)
            trip = StudyTrip(
                date=day,
                end_date=day + datetime.timedelta(days=2),
                destination=destination,
                purpose=purpose.format(s=s),
                report="三天听了八节课、两场专家报告，回校后在组内做了汇报。",
            )
            trip._follow_up = talk
            self.add(trip, teacher, year)
        if backbone and year == self.holders[teacher.pk].first_year:
            self.add(
                SelfDevelopmentPlan(
                    date=self.day(year, share=0.05),
                    first_year=year,
                    last_year=self.holders[teacher.pk].last_year,
                    review="从教以来一直担任教学工作，教学成绩稳定，多次承担校级公开课。",
                    self_assessment="课堂组织能力较强；教育科研和论文写作是短板。",
                    long_term_goals="三年内成为更高一级的骨干教师，形成自己的教学风格。",
                    short_term_goals="本学年上一节区级公开课，完成一篇获奖论文。",
                    measures="每学期读一本教育专著；每周听课两节；参加区级课题研究。",
                ),
                teacher,
                year,
            )

    def trainings(self, teacher: Teacher, year: int, share: float) -> None:
        """Sessions adding up to about the 72/24 hours of a school year (less so far in the
        current one); a few teachers fall short."""
        rng = self.rng
        total = Decimal(rng.choice([60, 66, 72, 72, 76, 80, 88, 96])) * Decimal(str(share))
        school_based = min(total, Decimal(rng.choice([18, 24, 24, 28, 32])) * Decimal(str(share)))
        for amount, based in ((school_based, True), (total - school_based, False)):
            sizes = (6, 8, 12) if based else (12, 16, 24, 30)
            left = amount.quantize(Decimal("0.5"))
            while left > 0:
                size = min(left, Decimal(rng.choice(sizes)))
                if left - size < 3:
                    size = left
                day = self.day(year)
                if based:
                    course, level = rng.choice(SCHOOL_TRAININGS), Level.SCHOOL
                else:
                    course, level = rng.choice(OTHER_TRAININGS)
                self.add(
                    Training(
                        date=day,
                        end_date=day + datetime.timedelta(days=int(size // 8)),
                        course=course,
                        organiser_level=level,
                        hours=size,
                        school_based=based,
                    ),
                    teacher,
                    year,
                )
                left -= size

    def observation(self, teacher, year, *, observed=None, day=None, pairing=None, status=None):
        rng = self.rng
        if observed is None and rng.random() < 0.75 and len(self.active) > 1:
            observed = rng.choice(self.active)
            observed = observed if observed is not teacher else None
        record = Observation(
            date=day or self.day(year),
            subject=observed.subject if observed else teacher.subject,
            class_name=rng.choice(["三年级（1）班", "四年级（3）班", "五年级（2）班"]),
            notes=OBSERVATION_NOTES,
            rating=rng.choice([3, 4, 4, 5]),
            pairing=pairing,
        )
        if observed is not None:
            record.observed_teacher = observed
            record._observed_name = observed.name
        else:
            name, school = rng.choice(OUTSIDERS)
            record.observed_name, record.observed_school = name, school
            record._observed_name = name
        return self.add(record, teacher, year, status)

    def open_class(self, teacher, year, day, *, kind, level, status=None) -> OpenClass:
        record = OpenClass(
            date=day,
            starts_at=datetime.datetime.combine(
                day, datetime.time(self.rng.choice([8, 9, 10, 14])), tzinfo=TZ
            ),
            class_kind=kind,
            level=level,
            place=self.rng.choice(PLACES),
            subject=teacher.subject,
            grade_class=(teacher.grades.split("、")[0] or "四年级") + "（2）班",
            topic=f"《{teacher.subject}{self.rng.choice(SUBJECT_TOPICS)}》",
            research_theme=self.rng.choice(THEMES),
        )
        self.add(record, teacher, year, status)
        if year == self.current:
            self.open_classes.append(record)
        return record

    def project(self, teacher: Teacher, year: int) -> None:
        day = self.day(year, share=0.15)
        record = ResearchProject(
            date=day,
            project_title=f"{teacher.subject}作业设计的实践研究（{year}）",
            level=self.rng.choice([Level.SCHOOL, Level.DISTRICT, Level.MUNICIPAL]),
            role=ResearchProject.Role.LEADER,
            stage=self.rng.choice(list(ResearchProject.Stage.values)),
            approved_on=day,
            semester_plan="第一阶段：文献学习与现状调查；第二阶段：设计分层作业并试用。",
            process_records="9月：组建课题组；10月：收集学生作业样本并分析。",
        )
        self.add(record, teacher, year)
        others = [t for t in self.active if t is not teacher]
        self.projects.append((record, self.rng.sample(others, min(2, len(others)))))

    def upcoming_open_classes(self) -> None:
        """A few open classes in the coming weeks, on the calendar for colleagues."""
        hosts = [t for t in self.active if t.pk in self.holders][:3]
        for teacher in hosts:
            day = self.today + datetime.timedelta(days=self.rng.randint(3, 20))
            if day.weekday() >= 5:
                day -= datetime.timedelta(days=2)
            self.open_class(
                teacher,
                self.current,
                day,
                kind=OpenClass.ClassKind.RESEARCH,
                level=Level.SCHOOL,
                status=Status.SUBMITTED,
            )

    def audit(self) -> None:
        """The trail of this school year's records (older ones have none: they were entered
        before the audit trail, as happens when a school moves its paper files in)."""
        entries = []
        for record in self.new_records:
            if record.year != self.current:
                continue
            actor = record.teacher.user
            entries.append(AuditEntry(record_id=record.pk, actor=actor, action="created"))
            if record.status != Status.DRAFT:
                entries.append(AuditEntry(record_id=record.pk, actor=actor, action="submitted"))
            if record.status == Status.VERIFIED:
                entries.append(
                    AuditEntry(record_id=record.pk, actor=self.office, action="verified")
                )
            if record.status == Status.RETURNED:
                entries.append(
                    AuditEntry(
                        record_id=record.pk,
                        actor=self.office,
                        action="returned",
                        note=record.return_reason,
                    )
                )
        AuditEntry.objects.bulk_create(entries, batch_size=2000)

    def signups_and_evaluations(self) -> None:
        signups, evaluations = [], []
        for oc in self.open_classes:
            others = [t for t in self.active if t.pk != oc.teacher_id]
            observers = self.rng.sample(others, min(len(others), self.rng.randint(0, 4)))
            if oc.date > self.today:
                signups += [OpenClassSignup(open_class=oc, observer=t) for t in observers]
            elif oc.status == Status.VERIFIED:
                evaluations += [
                    OpenClassEvaluation(
                        open_class=oc,
                        observer=t,
                        design=self.rng.randint(3, 5),
                        delivery=self.rng.randint(3, 5),
                        engagement=self.rng.randint(3, 5),
                        effect=self.rng.randint(3, 5),
                        comments="教学目标清晰，学生参与度高；建议给学生更多表达的时间。",
                    )
                    for t in observers[:2]
                ]
        OpenClassSignup.objects.bulk_create(signups)
        OpenClassEvaluation.objects.bulk_create(evaluations)
