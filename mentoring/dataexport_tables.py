"""The data export's tables of mentoring pairings and guidance sessions; the notes of a
private session go only into a file of the pair's own."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.export_tables import Column, ExportContext, Table, TableSpec, register_tables, table
from teachers.dataexport_tables import teacher_label

from .models import GuidanceSession, Pairing


def _pairings(ctx: ExportContext) -> Table:
    return table(ctx.visible(Pairing, "school").order_by("pk"))


def _sessions(ctx: ExportContext) -> Table:
    user_id = ctx.own_user_id

    def shown(field: str):
        def get(session):
            pairing = session.pairing
            party = user_id is not None and user_id in (
                pairing.mentor.user_id,
                pairing.apprentice.user_id,
            )
            return getattr(session, field) if party or not session.private else ""

        return get

    qs = ctx.visible(GuidanceSession, "pairing__school").order_by("pairing_id", "date", "pk")
    first = [
        Column(_("Mentor"), lambda s: teacher_label(s.pairing.mentor)),
        Column(_("Apprentice"), lambda s: teacher_label(s.pairing.apprentice)),
    ]
    override = {"notes": shown("notes"), "follow_up": shown("follow_up")}
    return table(
        qs,
        first=first,
        override=override,
        joins=["pairing__mentor", "pairing__apprentice"],
    )


register_tables(
    TableSpec("pairings", gettext_lazy("Mentoring pairings"), _pairings),
    TableSpec("guidance_sessions", gettext_lazy("Guidance sessions"), _sessions),
    position=50,
)
