"""The one questionnaire engine: questions of a few kinds, anonymous answers, and aggregates
that show nothing of fewer than MIN_ANSWERS answers.

An app makes concrete models from the abstract ones here (a session's feedback form, the
annual training-needs survey): its Question rows with a foreign key to what owns them, a
Response per person who answered (a random UUID as key and no time, so neither its order nor
its key can be matched with the list of who answered), and Answer rows. Who answered is kept
apart, in the app's own "given" table with a unique constraint: one answer per person.

Default questions carry a ``key`` and no text: their wording (and options) come from the
app's DEFAULTS in the reader's language."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .fields import SHORT_TEXT, LimitedTextField
from .forms import Form

MIN_ANSWERS = 3


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One choice")
    MULTI = "multi", _("Several choices")
    TEXT = "text", _("Free text")


RATINGS = [(i, str(i)) for i in range(1, 6)]
CHOICE_KINDS = (QuestionKind.CHOICE, QuestionKind.MULTI)


@dataclass(frozen=True)
class DefaultQuestion:
    key: str
    kind: str
    label: Promise
    options: tuple = ()
    required: bool = True


class Question(models.Model):
    DEFAULTS: tuple[DefaultQuestion, ...] = ()

    kind = models.CharField(_("kind of question"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=200, blank=True)
    options = LimitedTextField(
        _("options"), max_length=SHORT_TEXT, blank=True, help_text=_("One option per line.")
    )
    required = models.BooleanField(_("an answer is required"), default=True)
    key = models.CharField(max_length=20, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return str(self.label)

    @property
    def default(self) -> DefaultQuestion | None:
        return next((d for d in self.DEFAULTS if d.key == self.key), None) if self.key else None

    @property
    def label(self) -> str:
        if self.text:
            return self.text
        return str(self.default.label) if self.default else ""

    @property
    def option_list(self) -> list[str]:
        if self.options.strip():
            return [line.strip() for line in self.options.splitlines() if line.strip()]
        return [str(o) for o in self.default.options] if self.default else []

    @classmethod
    def defaults_for(cls, **owner) -> list["Question"]:
        return [
            cls(key=d.key, kind=d.kind, required=d.required, position=i, **owner)
            for i, d in enumerate(cls.DEFAULTS)
        ]


class Response(models.Model):
    """One person's answers: a random key and no time, so nothing leads back to them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class Answer(models.Model):
    """One answer to one question; a multiple choice gives one row per option chosen."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.SmallIntegerField(null=True, blank=True)  # rating, 1/0, option index
    text = LimitedTextField(max_length=SHORT_TEXT, blank=True)

    class Meta:
        abstract = True


# -- answering ------------------------------------------------------------------------------------
def _field(question: Question) -> forms.Field:
    label, required = question.label, question.required
    if question.kind == QuestionKind.RATING:
        return forms.TypedChoiceField(
            label=label, required=required, choices=RATINGS, coerce=int, widget=forms.RadioSelect
        )
    if question.kind == QuestionKind.YES_NO:
        return forms.TypedChoiceField(
            label=label,
            required=required,
            choices=[(1, _("Yes")), (0, _("No"))],
            coerce=int,
            widget=forms.RadioSelect,
        )
    choices = list(enumerate(question.option_list))
    if question.kind == QuestionKind.CHOICE:
        return forms.TypedChoiceField(
            label=label, required=required, choices=choices, coerce=int, widget=forms.RadioSelect
        )
    if question.kind == QuestionKind.MULTI:
        return forms.TypedMultipleChoiceField(
            label=label,
            required=required,
            choices=choices,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.CharField(
        label=label,
        required=required,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(Form):
    """The form of a list of questions: a field q<id> per question."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = _field(question)
        # 1–5 and yes/no on one line: a phone shows the whole form in a few screens.
        inline = (QuestionKind.RATING, QuestionKind.YES_NO)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[InlineRadios(f"q{q.pk}") if q.kind in inline else f"q{q.pk}" for q in self.questions]
        )

    def answers(self) -> list[tuple[Question, int | None, str]]:
        """(question, number, text) for each answer given; empty answers are left out."""
        rows = []
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value in (None, "", []):
                continue
            if question.kind == QuestionKind.MULTI:
                rows += [(question, n, "") for n in sorted(set(value))]
            elif question.kind == QuestionKind.TEXT:
                rows.append((question, None, value.strip()))
            else:
                rows.append((question, value, ""))
        return rows


# -- aggregates -----------------------------------------------------------------------------------
@dataclass
class QuestionSummary:
    question: Question
    answers: int = 0  # people who answered this question
    counts: dict = field(default_factory=dict)  # number -> how many
    texts: tuple = ()

    @property
    def shown(self) -> bool:
        return self.answers >= MIN_ANSWERS

    @property
    def average(self) -> float | None:
        if not self.shown or self.question.kind != QuestionKind.RATING:
            return None
        return round(sum(k * v for k, v in self.counts.items()) / self.answers, 1)

    @property
    def average_percent(self) -> int:
        return round((self.average or 0) * 20)

    @property
    def yes_percent(self) -> int | None:
        if not self.shown or self.question.kind != QuestionKind.YES_NO:
            return None
        return round(100 * self.counts.get(1, 0) / self.answers)

    @property
    def options(self) -> list[tuple[str, int, int]]:
        """(option, how many chose it, percent of those who answered), most chosen first."""
        if not self.shown or self.question.kind not in CHOICE_KINDS:
            return []
        rows = [
            (label, self.counts.get(i, 0), round(100 * self.counts.get(i, 0) / self.answers))
            for i, label in enumerate(self.question.option_list)
        ]
        return sorted(rows, key=lambda r: -r[1])


@dataclass
class Summary:
    responses: int
    questions: list[QuestionSummary]

    @property
    def shown(self) -> bool:
        return self.responses >= MIN_ANSWERS

    def by_key(self, key: str) -> QuestionSummary | None:
        return next((q for q in self.questions if q.question.key == key), None)


def summarise(answers: models.QuerySet, questions, *, group_by: str | None = None) -> dict:
    """Group -> Summary over ``answers`` (an Answer queryset, already narrowed to what the
    reader may see), in at most four queries whatever the number of answers. ``group_by`` is
    a path from the answer (e.g. "response__session_id"); without it the one group is None.
    Below MIN_ANSWERS a question shows only its count; free texts come in a fixed order
    (sorted), which says nothing about who wrote them."""
    questions = list(questions)
    key = group_by or "_none"
    answers = answers.order_by()
    if group_by is None:
        answers = answers.annotate(_none=models.Value(0))
    groups: dict = defaultdict(lambda: {q.pk: QuestionSummary(q) for q in questions})
    for row in answers.values(key, "question_id").annotate(n=Count("response_id", distinct=True)):
        summary = groups[row[key]].get(row["question_id"])
        if summary:
            summary.answers = row["n"]
    numbered = answers.exclude(number=None).values(key, "question_id", "number")
    for row in numbered.annotate(n=Count("pk")):
        summary = groups[row[key]].get(row["question_id"])
        if summary:
            summary.counts[row["number"]] = row["n"]
    text_ids = [q.pk for q in questions if q.kind == QuestionKind.TEXT]
    texts = defaultdict(list)
    if text_ids:
        shown = [(g, pk) for g, s in groups.items() for pk in text_ids if s[pk].shown]
        wanted = {g for g, _pk in shown}
        for group, question_id, text in (
            answers.filter(question_id__in=text_ids)
            .exclude(text="")
            .values_list(key, "question_id", "text")
        ):
            if group in wanted and groups[group][question_id].shown:
                texts[(group, question_id)].append(text)
    for (group, question_id), items in texts.items():
        groups[group][question_id].texts = tuple(sorted(items))
    responses = dict(
        answers.values(key).annotate(n=Count("response_id", distinct=True)).values_list(key, "n")
    )
    result = {g: Summary(responses.get(g, 0), list(s.values())) for g, s in groups.items()}
    if group_by is None:
        return {None: result.get(0, Summary(0, [QuestionSummary(q) for q in questions]))}
    return result


def empty_summary(questions) -> Summary:
    return Summary(0, [QuestionSummary(q) for q in questions])


class QuestionForm(Form):
    """A new question: its kind, wording, options (choices) and whether it must be answered."""

    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=200)
    options = forms.CharField(
        label=_("Options (choices only), one per line"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [c for c in QuestionKind.choices if c[0] in kinds]

    def clean(self):
        data = super().clean()
        options = [o for o in (data.get("options") or "").splitlines() if o.strip()]
        if data.get("kind") in CHOICE_KINDS and len(options) < 2:
            self.add_error("options", _("Give at least two options, one per line."))
        return data


# -- changing the questions -----------------------------------------------------------------------
def question_append(model, *, existing, owner: dict, kind, text, options="", required=True):
    """A new question after ``existing``; the caller has checked who asks and locked the owner."""
    question = model(
        kind=kind,
        text=text.strip(),
        options=options.strip() if kind in CHOICE_KINDS else "",
        required=required,
        position=max((q.position for q in existing), default=-1) + 1,
        **owner,
    )
    if not question.text:
        raise ValidationError({"text": _("Write the question.")})
    if kind in CHOICE_KINDS and len(question.option_list) < 2:
        raise ValidationError({"options": _("Give at least two options, one per line.")})
    question.full_clean()
    question.save()
    return question


def question_drop(question: Question, *, answers) -> None:
    """A question nobody answered goes; an answered one (``answers``: its Answer model) is
    only retired, so its answers and their aggregates stay. A default is retired too: its
    row says the owner set the questions, so the defaults do not come back."""
    if question.key or answers.objects.filter(question=question).exists():
        type(question).objects.filter(pk=question.pk).update(active=False)
    else:
        question.delete()


def pick_question(questions, chosen: str):
    """Of ``questions``, the one a form's ``question`` field names: its id, or key:<key>."""
    return next(
        (q for q in questions if chosen in (str(q.pk), f"key:{q.key}" if q.key else None)), None
    )
