"""The shared library (资源库): an author shares a verified case, teaching design, courseware,
teaching story or reading reflection with colleagues, who search it by subject, grade, kind
and the author's backbone tier. What is shared is the author's record itself (no copy): it
leaves the library when the record no longer counts (archived).

Reach: every shared item is seen by the author's school (staff and teachers). An item whose
award or publication is at district level or above may be shared with the district: then the
staff and teachers of every school of the district, and the district office, see it too.

The school's principal or training office picks the year's best cases for the printable
collection (优秀案例集)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Role, School
from core.scoping import ScopedQuerySet
from records.models import Record, Status


class SharedItemQuerySet(ScopedQuerySet):
    school_path = "record__teacher__school"

    def visible_to(self, user):
        scope = user.scope
        if scope.is_superuser:
            return self.filter(record__status=Status.VERIFIED)
        schools = scope.staff_school_ids | scope.school_ids_with({Role.TEACHER})
        if scope.within is not None:
            schools &= scope.within
        districts = set(
            School.objects.filter(pk__in=schools).values_list("district_id", flat=True)
        ) | set(scope.readable_district_ids)
        return self.filter(record__status=Status.VERIFIED).filter(
            Q(record__teacher__school_id__in=set(schools) | scope.readable_district_school_ids)
            | Q(reach=SharedItem.Reach.DISTRICT, record__teacher__school__district_id__in=districts)
        )

    def editable_by(self, user):
        """The school's managers choose the collection; the author shares and unshares."""
        return self.filter(user.scope.school_filter(self.school_path, write=True))


class SharedItem(models.Model):
    class Kind(models.TextChoices):
        CASE = "case", _("Case (案例)")
        DESIGN = "design", _("Teaching design (教学设计)")
        COURSEWARE = "courseware", _("Courseware (课件)")
        STORY = "story", _("Teaching story (教育叙事)")
        REFLECTION = "reflection", _("Reflection (反思)")

    class Reach(models.TextChoices):
        SCHOOL = "school", _("My school")
        DISTRICT = "district", _("The whole district")

    record = models.OneToOneField(
        Record, on_delete=models.CASCADE, related_name="shared", verbose_name=_("record")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reach = models.CharField(_("shared with"), max_length=10, choices=Reach.choices)
    shared_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    # In the collection of the best cases of the record's school year (优秀案例集).
    selected = models.BooleanField(_("in the year's collection"), default=False)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SharedItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("shared item")
        verbose_name_plural = _("shared items")
        ordering = ["-shared_at", "-pk"]
        indexes = [models.Index(fields=["kind", "reach"])]

    def __str__(self):
        return str(self.record)
