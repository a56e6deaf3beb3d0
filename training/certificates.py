"""合格证书: the organiser issues certificates to trainees who passed (in a programme with an
assessment, those whose revealed total reaches the pass mark; otherwise the organiser
decides), each with a serial number; the PDFs of a programme print as one background job;
a public page reached by the serial says whether a certificate is valid or revoked, and
nothing else."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from core.files import document_filename, year_part
from core.jobs import JobContext, JobError, job_handler
from core.pdf import html_to_pdf, render_html, require_cjk_font

from . import assessment
from .models import Attendance, Certificate, Enrolment, Programme, new_session_code

JOB_KIND = "training_certificates"


def _serial(programme: Programme) -> str:
    return f"{programme.year}-{new_session_code()}"


def _hours(enrolment: Enrolment) -> Decimal:
    total = Attendance.objects.filter(
        session__programme=enrolment.programme,
        teacher=enrolment.teacher,
        status__in=Attendance.ATTENDED,
    ).aggregate(h=Sum("session__hours"))["h"]
    return total or Decimal(0)


@transaction.atomic
def certificates_issue(*, programme: Programme, teachers, by) -> int:
    """One certificate per trainee still enrolled; issuing again adds none. Returns how many
    were issued now."""
    if not Programme.objects.editable_by(by).filter(pk=programme.pk).exists():
        raise PermissionDenied
    enrolments = programme.enrolments.filter(teacher__in=teachers).select_related("teacher")
    passed = None
    programme = Programme.objects.select_related("panel").get(pk=programme.pk)
    if assessment.is_assessed(programme):
        if programme.panel.is_secret:
            raise ValidationError(_("Reveal the assessment results before issuing certificates."))
        passed = assessment.passed_teacher_ids(programme=programme)
    issued = 0
    for enrolment in enrolments:
        if enrolment.status != Enrolment.Status.ENROLLED:
            raise ValidationError(
                _("%(name)s has no place in the programme any more.")
                % {"name": enrolment.teacher.name}
            )
        if passed is not None and enrolment.teacher_id not in passed:
            raise ValidationError(
                _("%(name)s did not pass the assessment.") % {"name": enrolment.teacher.name}
            )
        if Certificate.objects.filter(enrolment=enrolment).exists():
            continue
        for _attempt in range(3):  # a serial already taken: draw another
            try:
                with transaction.atomic():
                    Certificate.objects.create(
                        enrolment=enrolment,
                        serial=_serial(programme),
                        hours=_hours(enrolment),
                        issued_by=by,
                    )
                break
            except IntegrityError:
                if Certificate.objects.filter(enrolment=enrolment).exists():
                    break
        issued += 1
    return issued


def certificate_check(serial: str) -> Certificate | None:
    serial = (serial or "").strip().upper()
    if not serial or len(serial) > 24:
        return None
    return Certificate.objects.filter(serial=serial).first()


def certificates_filename(programme: Programme) -> str:
    owner = programme.school or programme.district
    return document_filename(
        owner.name, year_part(programme.year), programme.title, _("Completion certificates"),
        ext="pdf",
    )  # fmt: skip


@job_handler(JOB_KIND)
def certificates_print(ctx: JobContext) -> None:
    require_cjk_font()
    # The scope is applied again at run time, as the requesting user.
    programme = (
        Programme.objects.editable_by(ctx.job.requested_by)
        .select_related("school", "district")
        .filter(pk=ctx.params.get("programme"))
        .first()
    )
    if programme is None:
        raise JobError(_("The programme no longer exists or is out of your reach."))
    certificates = list(
        Certificate.objects.filter(enrolment__programme=programme, revoked_at__isnull=True)
        .select_related("enrolment__teacher__school")
        .order_by("serial")
    )
    if not certificates:
        raise JobError(_("No certificate has been issued in this programme yet."))
    ctx.set_total(2)
    ctx.set_step(_("Printing %(count)d certificates") % {"count": len(certificates)})
    sessions = programme.sessions.order_by("date")
    html = render_html(
        "training/certificates_pdf.html",
        {
            "programme": programme,
            "certificates": certificates,
            "first": sessions.first(),
            "last": sessions.last(),
        },
        language=ctx.job.language,
    )
    ctx.advance()
    ctx.output_path(certificates_filename(programme)).write_bytes(html_to_pdf(html))
    ctx.advance()
