"""A programme's feedback questions and the anonymous answers to them (core.questions):
each session's attendees answer the programme's active questions once; FeedbackGiven
(outcomes) says who answered, apart from what they answered."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.questions import Answer, DefaultQuestion, Question, QuestionKind, Response

from .programmes import Programme, Session


class FeedbackQuestion(Question):
    # Nothing to set up before the first session: content, speaker, usefulness, a comment.
    DEFAULTS = (
        DefaultQuestion("content", QuestionKind.RATING, _("The content of the session")),
        DefaultQuestion("speaker", QuestionKind.RATING, _("The speaker")),
        DefaultQuestion("usefulness", QuestionKind.RATING, _("Usefulness for my teaching")),
        DefaultQuestion(
            "comment", QuestionKind.TEXT, _("Comments and suggestions"), required=False
        ),
    )

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="feedback_questions",
        verbose_name=_("programme"),
    )

    class Meta(Question.Meta):
        verbose_name = _("feedback question")
        verbose_name_plural = _("feedback questions")


class FeedbackResponse(Response):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="+", verbose_name=_("session")
    )

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")


class FeedbackAnswer(Answer):
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(FeedbackQuestion, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
