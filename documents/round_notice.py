"""The printed notice (公示) of a selection round: the proposed list with what the notice board
may show (ranks once revealed, never a mark or total: ``scoring.visibility.posted_sight``), the
announcement period with its working days, the contact person for objections, and a seal line.

It is a job of the same engine as the assessment result sheets (``documents.sheets``): the view
fingerprints what would be printed, so the same request over unchanged data returns the stored
file; the handler scopes the round again as the requester narrowed to the file's owner."""

import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from backbone.models import Candidate, SelectionRound
from backbone.selectors.rounds import can_print_notice, proposed_candidates
from core.dates import working_days
from core.files import document_filename, year_part
from core.jobs import JobContext, JobError, job_handler
from core.pdf import html_to_pdf, render_html, require_cjk_font
from scoring import visibility

KIND = "selection_notice"
TEMPLATE = "documents/sheets/round_notice.html"


@dataclass
class RoundNotice:
    round: SelectionRound
    proposed: list[Candidate]
    sight: visibility.Sight

    @property
    def working_days(self) -> int | None:
        r = self.round
        if not (r.announce_from and r.announce_until):
            return None
        return working_days(r.announce_from, r.announce_until, district_id=r.district_id)

    def rows(self) -> list[dict]:
        return [
            {
                "rank": c.rank if self.sight.ranks else None,
                "name": c.teacher.name,
                # a district's or a city's round names each teacher's school, a school's the group
                "group": c.teacher.school.name
                if self.round.school_id is None
                else (c.teacher.group.name if c.teacher.group else ""),
                "subject": c.teacher.subject,
            }
            for c in self.proposed
        ]

    def fingerprint(self, *, language: str) -> str:
        r = self.round
        payload = [
            KIND,
            language,
            [r.pk, r.title, r.year, r.term_years, r.status, r.confirmed_at],
            [r.announce_from, r.announce_until, r.notice_contact, self.working_days],
            [r.school_id, r.district_id, r.organiser_label, r.tier.pk, r.tier.name, r.tier.name_en],
            [[c.pk, c.teacher.updated_at] for c in self.proposed],
            self.rows(),
        ]
        text = json.dumps(payload, default=str, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def round_notice(*, round: SelectionRound) -> RoundNotice:
    """What the notice prints, in three queries; ``round`` has its school and tier selected."""
    return RoundNotice(
        round=round,
        proposed=proposed_candidates(round=round),
        sight=visibility.posted_sight(panel=round.panel),
    )


def notice_html(*, notice: RoundNotice, language: str) -> str:
    context = {"notice": notice, "round": notice.round, "school": notice.round.school}
    return render_html(TEMPLATE, context, language=language)


def notice_filename(round: SelectionRound) -> str:
    return document_filename(
        round.organiser_label, year_part(round.year), round.title, _("Public notice"), ext="pdf"
    )


@job_handler(KIND)
def selection_notice_pdf(ctx: JobContext) -> None:
    require_cjk_font()
    user = ctx.viewer
    round = (
        SelectionRound.objects.visible_to(user)
        .select_related("school__district", "district", "city", "tier", "panel")
        .filter(pk=ctx.params.get("round"))
        .first()
    )
    if round is None or not can_print_notice(user, round):
        raise JobError(_("The selection round is not announced or is out of your reach."))
    ctx.set_total(2)
    ctx.set_step(_("Collecting the proposed list"))
    notice = round_notice(round=round)
    ctx.advance(text=_("Printing the PDF"))
    html = notice_html(notice=notice, language=ctx.job.language)
    ctx.output_path(notice_filename(round)).write_bytes(html_to_pdf(html))
    ctx.advance()
