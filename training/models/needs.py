"""The annual training-needs survey (研训需求调查): a school's or a district's training office
opens one for a school year; each teacher in its reach answers once, anonymously; the office
reads aggregates (core.questions) to plan next year's programmes. A district survey keeps
the school of each answer, so a school sees its own teachers' aggregates and the district
all of them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import District, School
from core.organised import Organised
from core.questions import Answer, DefaultQuestion, Question, QuestionKind, Response
from core.scoping import ScopedQuerySet
from teachers.models import Teacher

TOPICS = (
    _("New curriculum standards and their teaching (新课标)"),
    _("Unit and lesson design"),
    _("Classroom teaching and questioning"),
    _("Assessment and homework design"),
    _("Information technology and courseware"),
    _("Educational research and paper writing"),
    _("Class-teacher work and moral education"),
    _("Students' mental health"),
)
FORMS = (
    _("Expert lecture (专家讲座)"),
    _("Lesson study: same lesson, different designs (同课异构)"),
    _("Polishing a lesson over several rounds (磨课)"),
    _("Reading class or salon (读书班、沙龙)"),
    _("Study away at other schools (外出学习)"),
    _("Online course (网络研修)"),
    _("Mentoring by a backbone teacher (师带徒)"),
)
TIMES = (
    _("Weekday afternoons after class"),
    _("The group's weekly research slot (教研活动时间)"),
    _("Weekends"),
    _("Winter and summer holidays"),
)


class NeedsSurveyQuerySet(ScopedQuerySet):
    """Like programmes: a school's surveys are its staff's (and its district's to read); a
    district's surveys are its district office's, read by the staff of its schools."""

    def visible_to(self, user):
        return self.filter(user.scope.organised_filter())

    def editable_by(self, user):
        return self.filter(user.scope.organised_write_filter())

    def open_to(self, teacher: Teacher):
        """The open surveys that ask this teacher: their school's and their district's."""
        return self.filter(
            Q(school_id=teacher.school_id)
            | Q(school__isnull=True, district_id=teacher.school.district_id),
            closed_at__isnull=True,
        )


class NeedsSurvey(Organised, models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
        help_text=_("Empty for a survey of the district's training office."),
    )
    year = models.PositiveSmallIntegerField(_("school year"))
    title = models.CharField(_("title"), max_length=200)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = NeedsSurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("training-needs survey")
        verbose_name_plural = _("training-needs surveys")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year"],
                condition=Q(school__isnull=False),
                name="needs_survey_once_per_school_year",
            ),
            models.UniqueConstraint(
                fields=["district", "year"],
                condition=Q(school__isnull=True),
                name="needs_survey_once_per_district_year",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class NeedsQuestion(Question):
    DEFAULTS = (
        DefaultQuestion("topics", QuestionKind.MULTI, _("Topics you want training on"), TOPICS),
        DefaultQuestion("forms", QuestionKind.MULTI, _("Forms of training you prefer"), FORMS),
        DefaultQuestion("times", QuestionKind.CHOICE, _("The time that suits you best"), TIMES),
        DefaultQuestion(
            "problems",
            QuestionKind.TEXT,
            _("Problems from your teaching that training should help with"),
            required=False,
        ),
    )

    survey = models.ForeignKey(
        NeedsSurvey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )

    class Meta(Question.Meta):
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")


class NeedsResponse(Response):
    survey = models.ForeignKey(NeedsSurvey, on_delete=models.CASCADE, related_name="+")
    # The answering teacher's school: what a district survey's schools each see of it.
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")


class NeedsAnswer(Answer):
    response = models.ForeignKey(NeedsResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(NeedsQuestion, on_delete=models.CASCADE, related_name="+")


class NeedsGiven(models.Model):
    """Who answered a survey, kept apart from what they answered."""

    survey = models.ForeignKey(NeedsSurvey, on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "teacher"], name="needs_answered_once")
        ]

    def __str__(self):
        return f"{self.teacher} · {self.survey}"
