"""What hangs on every record: its attached files and its audit trail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .record import Record


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # Stored under a random name: the original name is kept in the row, never in the path.
    return f"records/{instance.record.teacher.school_id}/{instance.record_id}/{instance.token}"


class Attachment(models.Model):
    class Role(models.TextChoices):
        DESIGN = "design", _("Teaching design")
        REFLECTION = "reflection", _("Reflection")
        COURSEWARE = "courseware", _("Courseware")
        CERTIFICATE = "certificate", _("Certificate")
        REPORT = "report", _("Report")
        MATERIALS = "materials", _("Materials")
        PHOTO = "photo", _("Classroom photo (课堂照片)")
        VIDEO = "video", _("Classroom recording (课堂实录)")
        OTHER = "other", _("Other")

    record = models.ForeignKey(
        Record, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("record")
    )
    role = models.CharField(
        _("what it is"), max_length=20, choices=Role.choices, default=Role.OTHER
    )
    token = models.CharField(max_length=40, unique=True, editable=False)
    # Empty once removed: the stored file is deleted, the row keeps name and size.
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The content's SHA-256, so the same file is not attached twice under another name.
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class AuditEntry(models.Model):
    """Who did what to a record, and when: the trail the training office reads."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        SUBMITTED = "submitted", _("Submitted")
        PLANNED = "planned", _("Announced as planned")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned")
        ARCHIVED = "archived", _("Archived")
        FILE_ADDED = "file_added", _("File added")
        FILE_REMOVED = "file_removed", _("File removed")
        COMMENTED = "commented", _("Commented")

    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="audit_entries", verbose_name=_("record")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.record_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
