"""The results of a competition as an xlsx workbook, by a background job (core.jobs). The file
is filed under the organiser (the school, or the district) and downloaded by its managers and
the district office (core.job_files): it holds scores, ranks and prizes only once the results
are published and every one of them may see the scores; before that, the entries in a neutral
order and nothing that ranks them."""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.files import document_filename
from core.job_files import FileAudience, register_score_rule, scores_visible_to_audience
from core.jobs import JobContext, JobError, job_handler
from core.writers import XlsxWorkbook
from scoring import visibility

from . import judging
from .models import Contest

JOB_KIND = "contest_results_export"
ONE_PLACE = Decimal("0.1")


def _sees(user, contest: Contest) -> bool:
    return contest.is_published and judging.sight(user=user, contest=contest).totals


def _shared(contest: Contest) -> bool:
    return contest.is_published and visibility.shared_sight(panel=contest.panel).totals


register_score_rule(Contest, _sees, shared=_shared)


def results_filename(contest: Contest) -> str:
    return document_filename(_("Competition results"), contest.title, ext="xlsx")


@job_handler(JOB_KIND)
def results_export(ctx: JobContext) -> None:
    viewer = ctx.viewer
    contest = (
        Contest.objects.visible_to(viewer)
        .select_related("panel", "school", "district")
        .filter(pk=ctx.params.get("contest"))
        .first()
    )
    if contest is None:
        raise JobError(_("The competition no longer exists or is out of your reach."))
    scores = scores_visible_to_audience(FileAudience.for_job(ctx.job), contest)
    seen = visibility.EVERYTHING if scores else visibility.NOTHING
    rows = judging.results(contest=contest, seen=seen)
    items = judging.items_of(contest)
    ctx.set_total(len(rows))
    headers = [_("School"), _("Staff number"), _("Name"), _("Category"), _("Title")]
    if scores:
        headers += [i.name for i in items] + [_("Total score"), _("Rank"), _("Prize")]
    wb = XlsxWorkbook()
    ws = wb.add_sheet(_("Competition results"), headers, width=16, bold=True)
    for row in rows:
        e = row.entry
        values = [e.teacher.school.name, e.teacher.staff_no, e.teacher.name,
                  e.get_category_display(), e.title]  # fmt: skip
        if scores:
            averages = [None if a is None else a.quantize(ONE_PLACE) for a in row.averages]
            values += [*averages, row.total, row.rank, e.get_prize_display()]
        ws.append(values)
    ctx.advance(len(rows))
    wb.save(ctx.output_path(results_filename(contest)))
