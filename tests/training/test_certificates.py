"""合格证书: issued once per trainee, printed by a job, checked on a public page that reveals
nothing else."""

import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Job
from tests.markers import needs_pdf_tools
from training.certificates import certificates_issue
from training.ledger import register_mark
from training.models import Certificate

pytestmark = pytest.mark.django_db


def test_issuing_twice_gives_one_certificate_with_the_hours_attended(
    session, trainee, trainees, training_office
):
    register_mark(session=session, teacher=trainee, status="present", by=training_office)
    assert (
        certificates_issue(programme=session.programme, teachers=[trainee], by=training_office) == 1
    )
    assert (
        certificates_issue(programme=session.programme, teachers=[trainee], by=training_office) == 0
    )
    certificate = Certificate.objects.get()
    assert certificate.hours == 3 and certificate.serial.startswith(str(session.programme.year))


def test_only_the_organiser_issues(programme, trainee, committee_member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        certificates_issue(programme=programme, teachers=[trainee], by=committee_member)


def test_the_public_page_says_valid_or_revoked_and_nothing_else(
    programme, trainee, training_office
):
    certificates_issue(programme=programme, teachers=[trainee], by=training_office)
    certificate = Certificate.objects.get()
    anonymous = Client()
    url = reverse("training:certificate_check")
    page = anonymous.get(url, {"serial": certificate.serial.lower()}).content.decode()
    assert "valid" in page or "有效" in page
    for secret in (trainee.name, trainee.staff_no, programme.title, programme.school.name):
        assert secret not in page
    certificate.revoked_at = timezone.now()
    certificate.save()
    page = anonymous.get(url, {"serial": certificate.serial}).content.decode()
    assert 'data-testid="verdict"' in page and "alert-danger" in page
    page = anonymous.get(url, {"serial": "NOPE"}).content.decode()
    assert "alert-warning" in page


def test_printing_makes_a_job_of_the_programmes_school(
    client, programme, trainee, training_office, committee_member
):
    certificates_issue(programme=programme, teachers=[trainee], by=training_office)
    client.force_login(committee_member)
    assert (
        client.post(reverse("training:certificates_print", args=[programme.pk])).status_code == 403
    )
    client.force_login(training_office)
    response = client.post(reverse("training:certificates_print", args=[programme.pk]))
    job = Job.objects.get(kind="training_certificates")
    assert response.status_code == 302 and job.school == programme.school


@needs_pdf_tools
def test_the_print_job_makes_one_pdf_page_per_certificate_with_its_serial(
    client,
    programme,
    trainees,
    training_office,
    django_capture_on_commit_callbacks,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = str(tmp_path)
    certificates_issue(programme=programme, teachers=trainees, by=training_office)
    client.force_login(training_office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training:certificates_print", args=[programme.pk]))
    job = Job.objects.get(kind="training_certificates")
    assert job.status == Job.Status.DONE, job.error
    path = tmp_path / "c.pdf"
    path.write_bytes(job.file.read())
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    assert int(info.split("Pages:")[1].split()[0]) == 3
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
    assert all(c.serial in text for c in Certificate.objects.all())
    assert trainees[0].name in text
