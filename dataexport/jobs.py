"""The data export job: the ZIP of a school or a district, made in the background."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.files import current_year_part, document_filename, time_part
from core.jobs import JobContext, JobError, job_handler

from .targets import resolve_target
from .writer import export_zip

KIND = "data_export"


@job_handler(KIND)
def data_export(ctx: JobContext) -> None:
    try:
        # The scope is applied again here at run time, as the requester narrowed to the
        # school or district the file is shared with (core.job_files).
        target = resolve_target(ctx.viewer, ctx.params)
    except PermissionDenied:
        raise JobError(_("You may no longer export this data.")) from None
    name = document_filename(
        ctx.owner_name or target.code, current_year_part(), _("Data export"), time_part(), ext="zip"
    )
    export_zip(
        target,
        ctx.output_path(name),
        progress=ctx,
        audience=ctx.audience,
    )
