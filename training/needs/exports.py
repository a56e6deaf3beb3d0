"""The training-needs survey's aggregates as an xlsx workbook (a job): one sheet of the whole
survey as the file's audience may read it, and for a district survey one row per school and
answer; nothing of fewer than 3 answers, as on the page.

Registered by importing this module from training.apps."""

from django.utils.translation import gettext as _

from core.files import document_filename, year_part
from core.jobs import JobContext, JobError, job_handler
from core.questions import QuestionKind, Summary
from core.writers import XlsxWorkbook

from . import services

KIND = "training_needs_export"


def rows(summary: Summary):
    """(question, answers, option or figure, how many, percent) lines of a Summary."""
    for q in summary.questions:
        label = q.question.label
        if not q.shown:
            yield [label, q.answers, _("shown from 3 answers"), "", ""]
        elif q.question.kind == QuestionKind.RATING:
            yield [label, q.answers, _("average (1–5)"), q.average, ""]
        elif q.question.kind == QuestionKind.YES_NO:
            yield [label, q.answers, _("Yes"), q.counts.get(1, 0), q.yes_percent]
        elif q.options:
            for option, count, percent in q.options:
                yield [label, q.answers, option, count, percent]
        else:
            for text in q.texts:
                yield [label, q.answers, text, "", ""]


@job_handler(KIND)
def needs_export(ctx: JobContext) -> None:
    viewer = ctx.viewer
    survey = services.survey_list(user=viewer).filter(pk=ctx.params.get("survey")).first()
    if survey is None:
        raise JobError(_("The survey no longer exists or is out of your reach."))
    schools = services.school_counts(user=viewer, survey=survey) if survey.is_district else []
    ctx.set_total(1 + len(schools))
    headers = [_("Question"), _("Answers"), _("Option"), _("Chosen"), _("Percent")]
    wb = XlsxWorkbook()
    sheet = wb.add_sheet(_("Results"), headers, width=18, bold=True)
    for line in rows(services.results(user=viewer, survey=survey)):
        sheet.append(line)
    ctx.advance()
    if schools:
        by_school = wb.add_sheet(_("By school"), [_("School"), *headers], width=18, bold=True)
        for school, _answered, _staff in schools:
            for line in rows(services.results(user=viewer, survey=survey, school=school)):
                by_school.append([school.name, *line])
            ctx.advance()
    path = ctx.output_path(document_filename(survey.organiser_label, year_part(survey.year),
                                             _("Training-needs survey"), ext="xlsx"))  # fmt: skip
    wb.save(path)
